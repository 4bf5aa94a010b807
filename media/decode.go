package media

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// Decode checks data as Inspect does (so oversized or unsupported input is
// refused before any pixel is decoded), decodes it once and applies its EXIF
// orientation, so the result is upright and Info.Width×Info.Height. Damaged
// or truncated pixel data gives an error wrapping ErrCorrupt.
func Decode(data []byte) (image.Image, error) {
	img, _, err := decode(data, defaultLimits)
	return img, err
}

func decode(data []byte, lim limits) (image.Image, Info, error) {
	info, err := inspect(data, lim)
	if err != nil {
		return nil, Info{}, err
	}
	img, err := decodePixels(info.Format, data)
	if err != nil {
		return nil, Info{}, fmt.Errorf("media: decode %s: %w (%v)", info.Format, ErrCorrupt, err)
	}
	img = orient(img, info.Orientation)
	if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		return nil, Info{}, fmt.Errorf("media: decoded %s is %d×%d, header said %d×%d: %w",
			info.Format, b.Dx(), b.Dy(), info.Width, info.Height, ErrCorrupt)
	}
	return img, info, nil
}

// decodePixels runs the decoder for format. The decoders are third-party
// code fed hostile bytes, so a panic in one is turned into an error rather
// than taking the server down.
func decodePixels(format Format, data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	r := bytes.NewReader(data)
	switch format {
	case FormatJPEG:
		return jpeg.Decode(r)
	case FormatPNG:
		return png.Decode(r)
	default:
		return webp.Decode(r)
	}
}

// orient turns a stored image upright for EXIF orientation o (1–8), the
// transform that displays row 0 / column 0 where the tag says they belong.
// imaging's Rotate90 is counter-clockwise, so orientation 6 ("rotate 90°
// clockwise to display") uses Rotate270.
func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}
