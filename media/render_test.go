package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
	"testing"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/media/mediatest"
)

func sampleLeaflet() Leaflet {
	return Leaflet{Title: mediatest.SampleTitle, Body: mediatest.SampleBody,
		Hotline: mediatest.SampleHotline, QRURL: mediatest.SampleQRURL}
}

// sampleSource is a camera-like JPEG: stored sideways with EXIF orientation
// 6 and carrying GPS coordinates.
var sampleSource = sync.OnceValues(func() ([]byte, error) {
	return mediatest.JPEG(stored(mediatest.Photo(2400, 1800, 7), 6), mediatest.EXIF{Orientation: 6, GPS: true})
})

// sampleVariants renders the sample leaflet once for all tests that only
// look at the result.
var sampleVariants = sync.OnceValues(func() (Variants, error) {
	src, err := sampleSource()
	if err != nil {
		return nil, err
	}
	photo, err := Decode(src)
	if err != nil {
		return nil, err
	}
	return Render(photo, sampleLeaflet())
})

func renderedSample(t *testing.T) Variants {
	t.Helper()
	v, err := sampleVariants()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func decodeVariant(t *testing.T, v Variant) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("%s: %v", v.Name, err)
	}
	return img
}

func TestRenderMakesEveryVariantAtItsExactSize(t *testing.T) {
	t.Parallel()
	want := map[string][2]int{
		"print-a5": {1748, 2480}, "print-a4": {2480, 3508}, "facebook": {1080, 1350},
		"zalo": {1280, 720}, "thumb": {320, 400},
	}
	sizes := Sizes()
	if len(sizes) != len(want) {
		t.Fatalf("Sizes() has %d entries, want %d", len(sizes), len(want))
	}
	for _, s := range sizes {
		if w := want[s.Name]; w != [2]int{s.Width, s.Height} {
			t.Errorf("Sizes() %s = %d×%d, want %v", s.Name, s.Width, s.Height, w)
		}
	}
	variants := renderedSample(t)
	if len(variants) != len(want) {
		t.Fatalf("Render made %d variants, want %d", len(variants), len(want))
	}
	for name, size := range want {
		v, ok := variants[name]
		if !ok {
			t.Fatalf("no %s variant", name)
		}
		if v.ContentType != "image/jpeg" || v.Name != name {
			t.Errorf("%s: name %q content type %q", name, v.Name, v.ContentType)
		}
		if got := decodeVariant(t, v).Bounds().Size(); got != image.Pt(size[0], size[1]) {
			t.Errorf("%s is %v, want %d×%d", name, got, size[0], size[1])
		}
	}
}

func TestRenderStripsSourceMetadata(t *testing.T) {
	t.Parallel()
	src, err := sampleSource()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("Exif\x00\x00")) || !bytes.Contains(src, []byte("LanToaCam")) {
		t.Fatal("the source has no EXIF to strip; the test proves nothing")
	}
	for name, v := range renderedSample(t) {
		for _, m := range segments(t, v.Data) {
			if m >= 0xE0 && m <= 0xEF || m == 0xFE {
				t.Errorf("%s has an APP%d/COM segment (marker %#x)", name, m-0xE0, m)
			}
		}
		if bytes.Contains(v.Data, []byte("Exif")) || bytes.Contains(v.Data, []byte("LanToaCam")) {
			t.Errorf("%s carries source metadata", name)
		}
	}
}

func TestRenderHonoursOrientation(t *testing.T) {
	t.Parallel()
	src, err := sampleSource()
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(src)
	if err != nil || info.Width != 2400 || info.Height != 1800 || info.Orientation != 6 {
		t.Fatalf("Inspect = %+v, %v; want 2400×1800 displayed, orientation 6", info, err)
	}
}

func TestRenderTemplatesDiffer(t *testing.T) {
	t.Parallel()
	photo := mediatest.Photo(800, 600, 3)
	spec := sampleLeaflet()
	spec.Template = TemplateFullBleed
	full, err := Render(photo, spec)
	if err != nil {
		t.Fatal(err)
	}
	top := renderedSample(t)
	// Photo-top has the panel from edge to edge; full-bleed shows the
	// photo around its card, so its left edge at mid-panel height is photo.
	for name, v := range map[string]Variant{"photo-top": top[VariantFacebook], "full-bleed": full[VariantFacebook]} {
		got := decodeVariant(t, v).At(5, 1000)
		if isPanel := near(got, panelColour); isPanel != (name == "photo-top") {
			t.Errorf("%s: pixel (5,1000) = %v; panel colour expected only for photo-top", name, got)
		}
	}
}

func TestRenderRejectsInvalidLeaflet(t *testing.T) {
	t.Parallel()
	spec := sampleLeaflet()
	spec.Title = ""
	_, err := Render(mediatest.Photo(64, 64, 1), spec)
	var ve *apperr.ValidationError
	if !errors.As(err, &ve) || ve.Field != "title" {
		t.Fatalf("Render with no title: error %v, want a validation error on title", err)
	}
	if _, err := Render(nil, sampleLeaflet()); err == nil {
		t.Fatal("Render(nil photo) succeeded")
	}
}

// TestRenderDerivesSmallerPhotosFromLarger checks the resampling plan for
// a 12-megapixel landscape photo: the A5 photo comes from the A4 one, the
// thumbnail from the Facebook one, and the Zalo photo (a quarter of the
// source's density) from the half-size copy; only A4 reads the source.
func TestRenderDerivesSmallerPhotosFromLarger(t *testing.T) {
	t.Parallel()
	src := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	byName := map[string]*photoTask{}
	for _, j := range planVariants(src, TemplatePhotoTop) {
		byName[j.size.Name] = j.photo
	}
	if f := byName[VariantPrintA4].from; f.from != nil || f.w != 4000 {
		t.Errorf("print-a4 should read the source, reads a %d×%d image", f.w, f.h)
	}
	for child, parent := range map[string]string{VariantPrintA5: VariantPrintA4, VariantThumb: VariantFacebook} {
		if byName[child].from != byName[parent] {
			t.Errorf("%s is not derived from %s", child, parent)
		}
	}
	if f := byName[VariantZalo].from; f.w != 2000 || f.h != 1500 {
		t.Errorf("zalo should come from the 2000×1500 half-size copy, comes from %d×%d", f.w, f.h)
	}
	for _, tk := range byName {
		if got := tk.get().Bounds().Size(); got != image.Pt(tk.w, tk.h) {
			t.Errorf("task resampled to %v, want %d×%d", got, tk.w, tk.h)
		}
	}
}

// TestRenderOddPhotos covers photos no camera makes but uploads can hold:
// a single pixel, extreme strips and a transparent PNG, which must show on
// white rather than black.
func TestRenderOddPhotos(t *testing.T) {
	t.Parallel()
	clear := image.NewNRGBA(image.Rect(0, 0, 300, 200)) // fully transparent
	for name, photo := range map[string]image.Image{
		"1×1": mediatest.Photo(1, 1, 1), "1×3000": mediatest.Photo(1, 3000, 1),
		"3000×1": mediatest.Photo(3000, 1, 1), "transparent": clear,
	} {
		variants, err := Render(photo, sampleLeaflet())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, s := range Sizes() {
			img := decodeVariant(t, variants[s.Name])
			if img.Bounds().Size() != image.Pt(s.Width, s.Height) {
				t.Errorf("%s %s: size %v", name, s.Name, img.Bounds().Size())
			}
			if name == "transparent" && !near(img.At(s.Width/4, 2), color.RGBA{255, 255, 255, 255}) {
				t.Errorf("transparent photo on %s shows as %v, want white", s.Name, img.At(s.Width/4, 2))
			}
		}
	}
}
