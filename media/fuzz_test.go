package media

import (
	"errors"
	"testing"
)

// FuzzInspect feeds arbitrary bytes to Inspect and Decode (and the EXIF
// parser directly). Nothing may panic, every error must wrap a sentinel,
// and whatever is accepted must be consistent: positive sizes within the
// limits, an orientation of 1–8 and a decoded image of the size announced.
// Limits are lowered so that a hostile header cannot make an iteration
// allocate hundreds of megabytes. Seeds live in testdata/fuzz/FuzzInspect.
func FuzzInspect(f *testing.F) {
	f.Add(encodeJPEG(f, checker(16, 16)))
	f.Add(encodePNG(f, checker(9, 7)))
	f.Add(webpLossy)
	lim := limits{bytes: 1 << 20, pixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation = %d", o)
		}
		info, err := inspect(data, lim)
		_, decoded, derr := decode(data, lim)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("Inspect error wraps no sentinel: %v", err)
			}
			if derr == nil {
				t.Fatalf("Decode accepted what Inspect refused (%v)", err)
			}
			return
		}
		if info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > lim.pixels ||
			info.Orientation < 1 || info.Orientation > 8 || info.Bytes != len(data) {
			t.Fatalf("inconsistent Info %+v", info)
		}
		if derr != nil {
			if !isSentinel(derr) {
				t.Fatalf("Decode error wraps no sentinel: %v", derr)
			}
			return
		}
		if decoded != info {
			t.Fatalf("Decode's Info %+v differs from Inspect's %+v", decoded, info)
		}
	})
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrUnsupportedType, ErrTooLarge, ErrTooManyPixels, ErrCorrupt} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
