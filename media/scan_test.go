package media

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/media/mediatest"
)

// TestQRCodeScansBack reads the QR code of whole rendered variants, photo
// and text included, as a phone would, and expects the leaflet's URL.
func TestQRCodeScansBack(t *testing.T) {
	t.Parallel()
	variants := renderedSample(t)
	for _, name := range []string{VariantFacebook, VariantPrintA5, VariantZalo} {
		bmp, err := gozxing.NewBinaryBitmapFromImage(decodeVariant(t, variants[name]))
		if err != nil {
			t.Fatal(err)
		}
		hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
		if err != nil {
			t.Fatalf("%s: QR code not found: %v", name, err)
		}
		if res.GetText() != mediatest.SampleQRURL {
			t.Errorf("%s: QR code says %q, want %q", name, res.GetText(), mediatest.SampleQRURL)
		}
	}
}

// TestQRCodeScansWithZbar cross-checks with a second, independent decoder
// when zbarimg is installed.
func TestQRCodeScansWithZbar(t *testing.T) {
	t.Parallel()
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not on PATH (Debian package zbar-tools); gozxing still checks the QR code")
	}
	dir := t.TempDir()
	for _, name := range []string{VariantFacebook, VariantPrintA5, VariantPrintA4} {
		path := filepath.Join(dir, name+".jpg")
		if err := os.WriteFile(path, renderedSample(t)[name].Data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "--quiet", "--raw", path).Output()
		if err != nil {
			t.Fatalf("%s: zbarimg: %v", name, err)
		}
		if got := strings.TrimSpace(string(out)); got != mediatest.SampleQRURL {
			t.Errorf("%s: zbarimg read %q, want %q", name, got, mediatest.SampleQRURL)
		}
	}
}

// TestTitleReadsBackWithDiacritics runs Tesseract's Vietnamese model over
// the title of the print-a5 variant: if diacritics were dropped, clipped
// or drawn as boxes, the words would not come back as written.
func TestTitleReadsBackWithDiacritics(t *testing.T) {
	t.Parallel()
	tess := tesseractWithVietnamese(t)
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	a5 := decodeVariant(t, renderedSample(t)[VariantPrintA5])
	pl, err := placePanel(frameFor(TemplatePhotoTop, 1748, 2480), sampleLeaflet().canonical(), fonts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "title.png")
	if err := os.WriteFile(path, inverted(t, a5, pl.titleAt.Inset(-24)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tess, path, "stdout", "-l", "vie", "--psm", "6").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	text := norm.NFC.String(string(out))
	t.Logf("OCR of the title: %q", text)
	words := map[string]bool{}
	for _, w := range strings.Fields(text) {
		words[strings.Trim(w, ".,:;!?\"'")] = true
	}
	for _, w := range []string{"bạo", "lực", "đình"} {
		if !words[w] {
			t.Errorf("OCR lost %q (with its diacritics)", w)
		}
	}
	found := 0
	for _, w := range []string{"Nói", "không", "với", "gia"} {
		if words[w] {
			found++
		}
	}
	if found < 3 {
		t.Errorf("OCR found %d of Nói, không, với, gia; want at least 3", found)
	}
}

// tesseractWithVietnamese returns the tesseract binary, or skips the test
// when it or its Vietnamese model is missing.
func tesseractWithVietnamese(t *testing.T) string {
	t.Helper()
	tess, err := exec.LookPath("tesseract")
	if err != nil {
		t.Skip("tesseract not on PATH (Debian packages tesseract-ocr tesseract-ocr-vie): Vietnamese OCR check skipped")
	}
	out, err := exec.Command(tess, "--list-langs").CombinedOutput()
	if err != nil || !strings.Contains("\n"+string(out), "\nvie\n") {
		t.Skip("tesseract has no Vietnamese model (Debian package tesseract-ocr-vie): Vietnamese OCR check skipped")
	}
	return tess
}

// inverted returns the part r of img as a PNG in grey, light and dark
// swapped: Tesseract reads dark text on light paper best.
func inverted(t *testing.T, img image.Image, r image.Rectangle) []byte {
	t.Helper()
	r = r.Intersect(img.Bounds())
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			out.SetGray(x-r.Min.X, y-r.Min.Y, color.Gray{Y: 255 - g.Y})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
