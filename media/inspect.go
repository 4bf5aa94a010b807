package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Format is an accepted upload format, recognised by content.
type Format string

// Accepted formats.
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatWebP Format = "webp"
)

// ContentType returns the MIME type of f.
func (f Format) ContentType() string {
	return "image/" + string(f)
}

// Info describes an upload without decoding its pixels.
type Info struct {
	Format Format
	// Width and Height are as displayed, after EXIF orientation: an
	// orientation of 5–8 swaps the stored dimensions.
	Width, Height int
	// Bytes is the length of the file.
	Bytes int
	// Orientation is the EXIF orientation 1–8 (JPEG only); 1 when absent
	// or unreadable.
	Orientation int
}

// Inspect identifies data by its leading bytes (never by file name) and
// reads only its header. It returns an error wrapping ErrTooLarge when data
// is longer than MaxBytes, ErrUnsupportedType when it is not a JPEG, PNG or
// WebP, ErrCorrupt when the header is unreadable and ErrTooManyPixels when
// the declared size exceeds MaxPixels. No pixel data is decoded.
func Inspect(data []byte) (Info, error) {
	return inspect(data, defaultLimits)
}

// ReadUpload reads r to the end and returns its bytes, or an error wrapping
// ErrTooLarge as soon as more than MaxBytes arrive (it never buffers more
// than MaxBytes+1 bytes).
func ReadUpload(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("media: more than %d bytes: %w", MaxBytes, ErrTooLarge)
	}
	return data, nil
}

func inspect(data []byte, lim limits) (Info, error) {
	if len(data) > lim.bytes {
		return Info{}, fmt.Errorf("media: %d bytes, limit %d: %w", len(data), lim.bytes, ErrTooLarge)
	}
	format, err := sniff(data)
	if err != nil {
		return Info{}, err
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return Info{}, fmt.Errorf("media: %s header: %w (%v)", format, ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("media: %s header declares %d×%d: %w", format, cfg.Width, cfg.Height, ErrCorrupt)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.pixels {
		return Info{}, fmt.Errorf("media: %d×%d is %d pixels, limit %d: %w",
			cfg.Width, cfg.Height, px, lim.pixels, ErrTooManyPixels)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Bytes: len(data), Orientation: 1}
	if format == FormatJPEG {
		info.Orientation = jpegOrientation(data)
	}
	if info.Orientation >= 5 {
		info.Width, info.Height = info.Height, info.Width
	}
	return info, nil
}

// sniff recognises the three accepted formats by their signatures.
func sniff(data []byte) (Format, error) {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return FormatJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG, nil
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return FormatWebP, nil
	}
	return "", fmt.Errorf("media: unrecognised leading bytes: %w", ErrUnsupportedType)
}

// decodeConfig reads the header with the decoder for format. It is what
// image.DecodeConfig would dispatch to, minus the global format registry.
func decodeConfig(format Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch format {
	case FormatJPEG:
		return jpeg.DecodeConfig(r)
	case FormatPNG:
		return png.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}
