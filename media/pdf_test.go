package media

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/apperr"
)

func TestPrintPDF(t *testing.T) {
	t.Parallel()
	variants := renderedSample(t)
	for _, tc := range []struct {
		page, variant, mediaBox, size string
	}{
		{"A5", VariantPrintA5, "/MediaBox [0 0 419.53 595.28]", "1748 x 2480"},
		{"a4", VariantPrintA4, "/MediaBox [0 0 595.28 841.89]", "2480 x 3508"},
	} {
		pdf, err := PrintPDF(variants[tc.variant].Data, tc.page)
		if err != nil {
			t.Fatalf("%s: %v", tc.page, err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte(tc.mediaBox)) {
			t.Errorf("%s: not a PDF with %s", tc.page, tc.mediaBox)
		}
		if !bytes.Contains(pdf, []byte("/DCTDecode")) || !bytes.Contains(pdf, variants[tc.variant].Data[:4096]) {
			t.Errorf("%s: the JPEG is not embedded as is", tc.page)
		}
		again, _ := PrintPDF(variants[tc.variant].Data, tc.page)
		if !bytes.Equal(pdf, again) {
			t.Errorf("%s: the same image gave different PDF bytes", tc.page)
		}
		checkWithPDFImages(t, pdf, tc.size)
	}
}

// checkWithPDFImages asks poppler, when installed, for the page's images:
// exactly one JPEG at the variant's size and 300 dpi.
func checkWithPDFImages(t *testing.T, pdf []byte, size string) {
	t.Helper()
	tool, err := exec.LookPath("pdfimages")
	if err != nil {
		t.Log("pdfimages not on PATH (poppler-utils): structural checks only")
		return
	}
	path := filepath.Join(t.TempDir(), "leaflet.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-list", path).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		t.Fatalf("pdfimages lists %d images, want 1:\n%s", len(lines)-2, out)
	}
	f := strings.Fields(lines[2]) // page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
	if got := f[3] + " x " + f[4]; got != size || f[8] != "jpeg" || f[12] != "300" || f[13] != "300" {
		t.Errorf("pdfimages: %s", lines[2])
	}
}

func TestPrintPDFRejectsBadInput(t *testing.T) {
	t.Parallel()
	a5 := renderedSample(t)[VariantPrintA5].Data
	var ve *apperr.ValidationError
	if _, err := PrintPDF(a5, "Letter"); !errors.As(err, &ve) || ve.Field != "page" {
		t.Errorf("page Letter: error %v, want a validation error on page", err)
	}
	if _, err := PrintPDF(renderedSample(t)[VariantFacebook].Data, "A5"); !errors.As(err, &ve) {
		t.Errorf("facebook variant on A5: error %v, want a validation error", err)
	}
	if _, err := PrintPDF(encodePNG(t, checker(148, 210)), "A5"); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("PNG: error %v, want ErrUnsupportedType", err)
	}
	if _, err := PrintPDF([]byte("not an image"), "A5"); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("text: error %v, want ErrUnsupportedType", err)
	}
}
