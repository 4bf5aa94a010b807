package plans

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold is how words in a sheet are compared with the words the plan knows:
// lower case, without diacritics (đ → d), white space collapsed. So "Bài
// đăng", "bài đăng" typed in NFD, "BÀI ĐĂNG" and "bai dang" are one word.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// loose compares names that differ only by case, white space or Unicode
// form, keeping diacritics: "Thôn Đông" and "Thôn Dong" stay apart.
func loose(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")
}

// span is a piece of a list cell with where it lies in the cell.
type span struct {
	text       string
	start, end int
}

// pieces splits a list cell at commas, semicolons and line breaks.
func pieces(s string) []span {
	var out []span
	start := 0
	for i, r := range s {
		if r == ',' || r == ';' || r == '\n' {
			out = append(out, span{s[start:i], start, i})
			start = i + 1
		}
	}
	return append(out, span{s[start:], start, len(s)})
}

// splitKnown splits a list cell into its entries. Known names may hold a
// comma themselves ("Học sinh, sinh viên", "Tờ rơi, áp phích, …"): runs of
// pieces that together make a known name stay one entry (the longest run
// wins). Empty entries are dropped.
func splitKnown(s string, known func(string) bool) []string {
	ps := pieces(s)
	var out []string
	for i := 0; i < len(ps); {
		next := i + 1
		for j := min(len(ps)-1, i+6); j > i; j-- {
			if known(strings.TrimSpace(s[ps[i].start:ps[j].end])) {
				next = j + 1
				break
			}
		}
		if t := strings.TrimSpace(s[ps[i].start:ps[next-1].end]); t != "" {
			out = append(out, t)
		}
		i = next
	}
	return out
}
