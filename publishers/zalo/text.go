package zalo

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/publishers"
)

// normText folds s for comparison and display: NFC and every run of white
// space as one space.
func normText(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// capRunes shortens s to at most n characters, ending with "…" when cut.
func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// paragraphs splits text on blank lines, NFC-normalised and trimmed.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(norm.NFC.String(text), "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstParagraph is the first paragraph of text on one line.
func firstParagraph(text string) string {
	if ps := paragraphs(text); len(ps) > 0 {
		return normText(ps[0])
	}
	return ""
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// encodeURL returns raw as an absolute http(s) URL with its path and query
// percent-encoded: Zalo refuses photo_url with spaces or Vietnamese letters.
// Characters already percent-encoded stay as they are.
func encodeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("unreadable image URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("no absolute http(s) image URL")
	}
	u.RawPath = ""
	u.RawQuery = escapeLoose(u.RawQuery)
	return u.String(), nil
}

// escapeLoose percent-encodes the bytes of a query that may not appear in
// one (spaces, non-ASCII, quotes …) and keeps the rest, '%' '&' '=' included.
func escapeLoose(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		ch := q[i]
		if ch <= ' ' || ch >= 0x7f || strings.IndexByte(`"<>\^`+"`{|}", ch) >= 0 {
			fmt.Fprintf(&b, "%%%02X", ch)
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// flexString reads a JSON string or number as a string (ids come as both).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*f = ""
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = uq
	}
	*f = flexString(s)
	return nil
}

// flexInt reads a JSON number or numeric string; null, absent or unreadable
// leaves it unknown (nil).
type flexInt struct{ v *int64 }

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		f.v = &n
	} else if x, err := strconv.ParseFloat(s, 64); err == nil {
		n := int64(x)
		f.v = &n
	}
	return nil
}

func isPublishErr(err error, target **publishers.Error) bool { return errors.As(err, target) }
