package media

import "errors"

// Sentinel errors. Every error this package returns for bad input wraps one
// of them (or is an *apperr.ValidationError for leaflet fields), so the HTTP
// layer can map them: ErrUnsupportedType → 415, ErrTooLarge and
// ErrTooManyPixels → 413, ErrCorrupt → 422.
var (
	// ErrUnsupportedType means the bytes are not a JPEG, PNG or WebP image.
	ErrUnsupportedType = errors.New("unsupported file type (accepted: JPEG, PNG, WebP)")
	// ErrTooLarge means the upload is longer than MaxBytes.
	ErrTooLarge = errors.New("file is too large")
	// ErrTooManyPixels means the image header declares more than MaxPixels.
	ErrTooManyPixels = errors.New("image has too many pixels")
	// ErrCorrupt means the file starts like a supported image but its data
	// is damaged or truncated.
	ErrCorrupt = errors.New("image data is damaged or truncated")
)

// Upload limits, enforced by Inspect and Decode before any pixel is decoded.
const (
	// MaxBytes is the largest accepted upload: 20 MiB.
	MaxBytes = 20 << 20
	// MaxPixels is the largest accepted width×height: 40 megapixels.
	MaxPixels = 40_000_000
)

// limits lets tests and the fuzzer use smaller bounds than the defaults so
// that a hostile header cannot make them allocate hundreds of megabytes.
type limits struct {
	bytes  int
	pixels int64
}

var defaultLimits = limits{bytes: MaxBytes, pixels: MaxPixels}
