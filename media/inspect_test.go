package media

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestInspectRecognisesFormatByContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		data   []byte
		format Format
		w, h   int
	}{
		{"jpeg", encodeJPEG(t, checker(40, 30)), FormatJPEG, 40, 30},
		{"png", encodePNG(t, checker(41, 31)), FormatPNG, 41, 31},
		{"webp lossless", webpLossless, FormatWebP, 3, 2},
		{"webp lossy", webpLossy, FormatWebP, 16, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			info, err := Inspect(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			want := Info{Format: tc.format, Width: tc.w, Height: tc.h, Bytes: len(tc.data), Orientation: 1}
			if info != want {
				t.Fatalf("Inspect = %+v, want %+v", info, want)
			}
			img, err := Decode(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got.X != tc.w || got.Y != tc.h {
				t.Fatalf("decoded size %v, want %d×%d", got, tc.w, tc.h)
			}
		})
	}
}

func TestInspectIgnoresFileName(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(path, encodePNG(t, checker(8, 8)), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(data)
	if err != nil || info.Format != FormatPNG {
		t.Fatalf("a PNG named photo.jpg: Inspect = %+v, %v; want png", info, err)
	}
	if FormatPNG.ContentType() != "image/png" || FormatWebP.ContentType() != "image/webp" {
		t.Fatal("wrong content types")
	}
}

func TestInspectRejectsOtherTypes(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"empty": nil,
		"text":  []byte("Nói không với bạo lực gia đình\n"),
		"gif":   []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"pdf":   []byte("%PDF-1.4\n"),
		"riff":  []byte("RIFF\x04\x00\x00\x00WAVE"),
		"ffd8":  {0xFF, 0xD8},
	} {
		if _, err := Inspect(data); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("%s: Inspect error = %v, want ErrUnsupportedType", name, err)
		}
		if _, err := Decode(data); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("%s: Decode error = %v, want ErrUnsupportedType", name, err)
		}
	}
}

// TestTruncatedImagesFailCleanly cuts every fixture at every length: each
// cut must give an error wrapping a sentinel, never a panic or an image.
func TestTruncatedImagesFailCleanly(t *testing.T) {
	t.Parallel()
	fixtures := map[string][]byte{
		"jpeg": encodeJPEG(t, checker(24, 16)),
		"png":  encodePNG(t, checker(24, 16)),
		"webp": webpLossy,
	}
	for name, data := range fixtures {
		for n := range len(data) {
			_, err := Decode(data[:n])
			if err == nil {
				t.Fatalf("%s cut to %d of %d bytes decoded without error", name, n, len(data))
			}
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupportedType) {
				t.Fatalf("%s cut to %d bytes: error %v wraps no sentinel", name, n, err)
			}
		}
	}
}

func TestInspectTooLarge(t *testing.T) {
	t.Parallel()
	big := make([]byte, MaxBytes+1)
	copy(big, encodePNG(t, checker(8, 8)))
	if _, err := Inspect(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Inspect(%d bytes) error = %v, want ErrTooLarge", len(big), err)
	}
	if _, err := ReadUpload(bytes.NewReader(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadUpload(%d bytes) error = %v, want ErrTooLarge", len(big), err)
	}
	data, err := ReadUpload(bytes.NewReader(big[:MaxBytes]))
	if err != nil || len(data) != MaxBytes {
		t.Fatalf("ReadUpload(MaxBytes) = %d bytes, %v", len(data), err)
	}
}

// TestPixelLimitCheckedBeforeDecoding is not parallel: it measures the
// bytes allocated while refusing headers that declare 100 and 48
// megapixels with no pixel data behind them. Decoding would need hundreds
// of megabytes; refusing from the header needs almost nothing.
func TestPixelLimitCheckedBeforeDecoding(t *testing.T) {
	headers := map[string][]byte{
		"png 10000×10000":           pngHeaderOnly(10000, 10000),
		"png 10000×10000 with IDAT": pngHeaderAndStub(t, 10000, 10000),
		"jpeg 8000×6000":            jpegHeaderOnly(8000, 6000),
	}
	for name, data := range headers {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, errInspect := Inspect(data)
		_, errDecode := Decode(data)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Errorf("%s: refusing allocated %d bytes; the pixels were decoded", name, alloc)
		}
		if !errors.Is(errInspect, ErrTooManyPixels) || !errors.Is(errDecode, ErrTooManyPixels) {
			t.Errorf("%s: Inspect error %v, Decode error %v; want ErrTooManyPixels", name, errInspect, errDecode)
		}
	}
	info, err := Inspect(pngHeaderOnly(6000, 6000))
	if err != nil || info.Width != 6000 {
		t.Fatalf("36 MP header: Inspect = %+v, %v; want accepted", info, err)
	}
}
