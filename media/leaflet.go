package media

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/usertext"
)

// TemplateVersion names the current leaflet layout, fonts, colours, variant
// sizes and encoder settings. Bump it whenever any rendered byte would
// change, so that VariantKey stops matching cached renders.
const TemplateVersion = "leaflet-2026.1"

// Leaflet templates.
const (
	// TemplatePhotoTop puts the photo above a high-contrast text panel
	// (side by side on landscape variants). It is the default.
	TemplatePhotoTop = "photo-top"
	// TemplateFullBleed covers the whole page with the photo and sets the
	// text on a solid card over it.
	TemplateFullBleed = "full-bleed"
)

// Field limits, in characters, checked by Leaflet.Validate.
const (
	MaxTitleRunes   = 80
	MaxBodyRunes    = 400
	MaxHotlineRunes = 60
	MaxQRURLBytes   = 300
)

// Leaflet is what a leaflet says. Title and QRURL are required; Body and
// Hotline may be empty. Template is TemplatePhotoTop when empty.
type Leaflet struct {
	Title    string
	Body     string
	Hotline  string
	QRURL    string
	Template string
}

// Canonical returns l as it is rendered and stored (see canonical).
func (l Leaflet) Canonical() Leaflet { return l.canonical() }

// Templates returns the accepted template names, the default first.
func Templates() []string {
	return []string{TemplatePhotoTop, TemplateFullBleed}
}

// canonical returns l as it will be rendered: text in Unicode NFC (so
// decomposed Vietnamese from some keyboards draws with the font's
// precomposed glyphs), line breaks as \n (none in the hotline), outer
// spaces trimmed and the default template filled in. Render and VariantKey both use it.
func (l Leaflet) canonical() Leaflet {
	clean := func(s string) string {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		return strings.TrimSpace(norm.NFC.String(s))
	}
	out := Leaflet{
		Title:    clean(l.Title),
		Body:     clean(l.Body),
		Hotline:  strings.Join(strings.Fields(clean(l.Hotline)), " "),
		QRURL:    strings.TrimSpace(l.QRURL),
		Template: strings.TrimSpace(l.Template),
	}
	if out.Template == "" {
		out.Template = TemplatePhotoTop
	}
	return out
}

// Validate reports the first unacceptable field as an
// *apperr.ValidationError naming it: an empty or over-long title, over-long
// body or hotline, a QR URL that is not an absolute http(s) URL, or an
// unknown template. Text that breaks the usertext rule (invalid UTF-8,
// control characters) is refused in every text field.
func (l Leaflet) Validate() error {
	c := l.canonical()
	checks := []struct {
		field, value string
		max          int
	}{{"title", c.Title, MaxTitleRunes}, {"body", c.Body, MaxBodyRunes}, {"hotline", c.Hotline, MaxHotlineRunes}}
	for _, f := range checks {
		if !utf8.ValidString(f.value) {
			return apperr.Invalid(f.field, "is not valid UTF-8 text")
		}
		if _, err := usertext.Block(f.field, f.value, 0); err != nil {
			return err // a control character: nothing to draw, and a trap in every copy of the text
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return apperr.Invalid(f.field, "must be at most %d characters (has %d)", f.max, n)
		}
	}
	if c.Title == "" {
		return apperr.Invalid("title", "is required")
	}
	u, err := url.Parse(c.QRURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return apperr.Invalid("qr_url", "must be an absolute http or https URL")
	}
	if len(c.QRURL) > MaxQRURLBytes {
		return apperr.Invalid("qr_url", "must be at most %d bytes", MaxQRURLBytes)
	}
	if c.Template != TemplatePhotoTop && c.Template != TemplateFullBleed {
		return apperr.Invalid("template", "must be one of %s", strings.Join(Templates(), ", "))
	}
	return nil
}

// VariantKey returns the content address of the variants Render makes for
// the photo whose SHA-256 is photoSHA256 (hex, either case) and spec: the
// hex SHA-256 of TemplateVersion and every input in a length-prefixed
// encoding. Equal inputs (after the normalisation Render applies: NFC
// text, trimmed spaces, the default template) give equal keys; changing
// any field, the photo or TemplateVersion changes the key. Look it up
// before calling Render; store each variant under the key and its name.
func VariantKey(photoSHA256 string, spec Leaflet) string {
	c := spec.canonical()
	h := sha256.New()
	for _, field := range []string{
		"lantoa/media.VariantKey", TemplateVersion, strings.ToLower(strings.TrimSpace(photoSHA256)),
		c.Template, c.Title, c.Body, c.Hotline, c.QRURL,
	} {
		writeField(h, field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeField writes s with its length first, so that no two different
// field lists can produce the same byte stream.
func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
