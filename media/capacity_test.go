package media

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lantoa/lantoa/media/mediatest"
)

// ofLength repeats the words of text up to exactly n characters.
func ofLength(text string, n int) string {
	words := strings.Fields(text)
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i%len(words)])
	}
	return strings.TrimSpace(string([]rune(b.String())[:n]))
}

// TestLongestValidTextFitsEveryVariant fills every field to its limit, in
// ordinary and in capital letters (wider, with stacked diacritics), and
// checks that every variant of both templates fits it whole: the ellipsis
// fallback must never show for input Validate accepts.
func TestLongestValidTextFitsEveryVariant(t *testing.T) {
	t.Parallel()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, upper := range []bool{false, true} {
		title := ofLength(mediatest.SampleTitle+" "+mediatest.SampleBody, MaxTitleRunes)
		spec := Leaflet{Title: title, Body: ofLength(mediatest.SampleBody, MaxBodyRunes),
			Hotline: ofLength("Tổng đài quốc gia bảo vệ trẻ em: 111 hoặc 0203 3812 345 ", MaxHotlineRunes),
			QRURL:   mediatest.SampleQRURL}
		if upper {
			spec.Title, spec.Body, spec.Hotline = strings.ToUpper(spec.Title), strings.ToUpper(spec.Body), strings.ToUpper(spec.Hotline)
		}
		for _, template := range Templates() {
			spec.Template = template
			if err := spec.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, s := range Sizes() {
				pl, err := placePanel(frameFor(template, s.Width, s.Height), spec.canonical(), fonts)
				if err != nil {
					t.Fatal(err)
				}
				hotline, err := hotlineBlock(spec.Hotline, fonts, pl.band.Dx()-2*pl.bandPad, pl.band.Dy())
				if err != nil {
					t.Fatal(err)
				}
				if pl.title.cut || pl.body.cut || pl.caption.cut || hotline.cut {
					t.Errorf("capitals=%v %s %s: text cut (title %v, body %v, caption %v, hotline %v)",
						upper, template, s.Name, pl.title.cut, pl.body.cut, pl.caption.cut, hotline.cut)
				}
			}
		}
	}
}
