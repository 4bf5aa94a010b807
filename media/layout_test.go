package media

import (
	"image/color"
	"math"
	"testing"
)

// TestPanelColoursContrast checks every text colour against its
// background with the WCAG 2 formula: at least 7:1 (level AAA), so the
// leaflet stays legible photocopied in grey or read in sunlight.
func TestPanelColoursContrast(t *testing.T) {
	t.Parallel()
	pairs := map[string][2]color.RGBA{
		"title":   {titleColour, panelColour},
		"body":    {bodyColour, panelColour},
		"caption": {captionColour, panelColour},
		"hotline": {bandText, bandColour},
	}
	for name, p := range pairs {
		if r := contrast(p[0], p[1]); r < 7 {
			t.Errorf("%s: contrast %.1f:1, want at least 7:1", name, r)
		}
	}
}

func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// TestFramesStayOnCanvas checks that for every variant and template the
// photo and panel lie on the canvas, the text and QR code in the panel,
// and the QR code has at least 4 pixels per module on every variant but
// the thumbnail (a preview, not meant for scanning).
func TestFramesStayOnCanvas(t *testing.T) {
	t.Parallel()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	spec := sampleLeaflet().canonical()
	qr, err := qrMatrix(spec.QRURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, template := range Templates() {
		for _, s := range Sizes() {
			fr := frameFor(template, s.Width, s.Height)
			canvas := fr.photo.Union(fr.panel)
			if canvas.Min.X < 0 || canvas.Min.Y < 0 || canvas.Max.X > s.Width || canvas.Max.Y > s.Height {
				t.Errorf("%s %s: frame %v off a %d×%d canvas", template, s.Name, canvas, s.Width, s.Height)
			}
			pl, err := placePanel(fr, spec, fonts)
			if err != nil {
				t.Fatal(err)
			}
			if !pl.qr.In(fr.panel) || !pl.titleAt.In(fr.panel) || !pl.bodyAt.In(fr.panel) {
				t.Errorf("%s %s: content spills out of the panel", template, s.Name)
			}
			want := 4
			if s.Name == VariantThumb {
				want = 1
			}
			if module := pl.qr.Dx() / len(qr); module < want {
				t.Errorf("%s %s: QR module %d px, want at least %d", template, s.Name, module, want)
			}
		}
	}
}
