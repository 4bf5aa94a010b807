package media

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/apperr"
)

const photoHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestVariantKeyIsStableAndCoversEveryInput(t *testing.T) {
	t.Parallel()
	base := sampleLeaflet()
	key := VariantKey(photoHash, base)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(key) {
		t.Fatalf("key %q is not a hex SHA-256", key)
	}
	if again := VariantKey(photoHash, base); again != key {
		t.Fatal("same inputs gave different keys")
	}
	changes := map[string]func(*Leaflet, *string){
		"photo":    func(_ *Leaflet, h *string) { *h = strings.Replace(*h, "9f", "9e", 1) },
		"title":    func(l *Leaflet, _ *string) { l.Title += "!" },
		"body":     func(l *Leaflet, _ *string) { l.Body += " Thêm." },
		"hotline":  func(l *Leaflet, _ *string) { l.Hotline = "Đường dây nóng: 112" },
		"qr url":   func(l *Leaflet, _ *string) { l.QRURL += "x" },
		"template": func(l *Leaflet, _ *string) { l.Template = TemplateFullBleed },
		"boundary": func(l *Leaflet, _ *string) { l.Title, l.Body = l.Title+" "+l.Body[:4], l.Body[5:] },
	}
	seen := map[string]string{key: "base"}
	for name, change := range changes {
		l, h := base, photoHash
		change(&l, &h)
		k := VariantKey(h, l)
		if prev, dup := seen[k]; dup {
			t.Errorf("changing %s gives the same key as %s", name, prev)
		}
		seen[k] = name
	}
}

func TestVariantKeyNormalisesEquivalentInputs(t *testing.T) {
	t.Parallel()
	base := sampleLeaflet()
	key := VariantKey(photoHash, base)
	same := []Leaflet{
		{Title: norm.NFD.String(base.Title), Body: base.Body, Hotline: base.Hotline, QRURL: base.QRURL},
		{Title: "  " + base.Title + "\n", Body: base.Body, Hotline: base.Hotline, QRURL: base.QRURL, Template: TemplatePhotoTop},
	}
	for i, l := range same {
		if VariantKey(strings.ToUpper(photoHash), l) != key {
			t.Errorf("equivalent leaflet %d got a different key", i)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field string
		edit  func(*Leaflet)
	}{
		{"", func(*Leaflet) {}},
		{"", func(l *Leaflet) { l.Body, l.Hotline = "", "" }},
		{"title", func(l *Leaflet) { l.Title = "  \n " }},
		{"title", func(l *Leaflet) { l.Title = strings.Repeat("đ", MaxTitleRunes+1) }},
		{"", func(l *Leaflet) { l.Title = strings.Repeat("đ", MaxTitleRunes) }},
		{"body", func(l *Leaflet) { l.Body = strings.Repeat("ạ", MaxBodyRunes+1) }},
		{"hotline", func(l *Leaflet) { l.Hotline = strings.Repeat("1", MaxHotlineRunes+1) }},
		{"title", func(l *Leaflet) { l.Title = "bad \xff utf-8" }},
		{"qr_url", func(l *Leaflet) { l.QRURL = "" }},
		{"qr_url", func(l *Leaflet) { l.QRURL = "javascript:alert(1)" }},
		{"qr_url", func(l *Leaflet) { l.QRURL = "/q/relative" }},
		{"qr_url", func(l *Leaflet) { l.QRURL = "https://x.vn/" + strings.Repeat("a", MaxQRURLBytes) }},
		{"template", func(l *Leaflet) { l.Template = "poster" }},
	}
	for i, tc := range tests {
		l := sampleLeaflet()
		tc.edit(&l)
		err := l.Validate()
		var ve *apperr.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("case %d: unexpected error %v", i, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Field != tc.field):
			t.Errorf("case %d: error %v, want a validation error on %s", i, err, tc.field)
		}
	}
	if got := Templates(); len(got) != 2 || got[0] != TemplatePhotoTop {
		t.Fatalf("Templates() = %v", got)
	}
}
