package media

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lantoa/lantoa/apperr"
)

// Print page sizes in millimetres (ISO 216, portrait).
var pageSizes = map[string][2]float64{"A5": {148, 210}, "A4": {210, 297}}

// pdfDate is written as the PDF's creation and modification date so that
// the same image always gives the same bytes (fpdf would use the clock).
var pdfDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// PrintPDF wraps a print variant (the JPEG bytes of print-a5 or print-a4)
// in a one-page PDF of page "A5" or "A4" (either case), the image placed
// edge to edge, so it prints at 300 dpi with no rescaling by the printer
// driver. The JPEG is embedded as is, not re-encoded. It returns an
// *apperr.ValidationError for another page name or an image whose shape is
// not the page's (more than 1% off), and an error wrapping
// ErrUnsupportedType if variantJPEG is not a JPEG.
func PrintPDF(variantJPEG []byte, page string) ([]byte, error) {
	name := strings.ToUpper(strings.TrimSpace(page))
	mm, ok := pageSizes[name]
	if !ok {
		return nil, apperr.Invalid("page", "must be A5 or A4")
	}
	info, err := Inspect(variantJPEG)
	if err != nil {
		return nil, err
	}
	if info.Format != FormatJPEG {
		return nil, fmt.Errorf("media: print PDF needs a JPEG, got %s: %w", info.Format, ErrUnsupportedType)
	}
	imgAspect, pageAspect := float64(info.Width)/float64(info.Height), mm[0]/mm[1]
	if math.Abs(imgAspect/pageAspect-1) > 0.01 {
		return nil, apperr.Invalid("page", "a %d×%d image does not have the shape of an %s page", info.Width, info.Height, name)
	}
	// An explicit size: fpdf's built-in "A5" is 148.5 mm wide, not ISO's 148.
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: mm[0], Ht: mm[1]}})
	pdf.SetCreationDate(pdfDate)
	pdf.SetModificationDate(pdfDate)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle("Lan Tỏa leaflet", true)
	pdf.AddPage()
	opts := fpdf.ImageOptions{ImageType: "JPG"}
	pdf.RegisterImageOptionsReader("leaflet", opts, bytes.NewReader(variantJPEG))
	pdf.ImageOptions("leaflet", 0, 0, mm[0], mm[1], false, opts, 0, "")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("media: write print PDF: %w", err)
	}
	return out.Bytes(), nil
}
