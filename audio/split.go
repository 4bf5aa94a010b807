package audio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitText cuts text into parts of at most max characters (runes) for a
// provider's request limit, at sentence ends where it can (. ! ? … and line
// breaks), else at a clause (, ; :), else at a space, and only as a last
// resort inside a word. Parts are trimmed; none is empty; joined with
// spaces they give back the text's words in order.
func SplitText(text string, max int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, s := range sentences(text) {
		n := utf8.RuneCountInString(s)
		if curLen > 0 && curLen+n > max {
			flush()
		}
		if n > max {
			for _, piece := range cutLong(s, max) {
				if curLen > 0 && curLen+utf8.RuneCountInString(piece) > max {
					flush()
				}
				cur.WriteString(piece)
				curLen += utf8.RuneCountInString(piece)
			}
			continue
		}
		cur.WriteString(s)
		curLen += n
	}
	flush()
	return parts
}

// sentences splits text after each sentence end, keeping the punctuation
// and the following spaces with the sentence.
func sentences(text string) []string {
	return splitAfter(text, func(r rune) bool { return strings.ContainsRune(".!?…\n", r) })
}

// splitAfter cuts s after every run of runes for which end is true,
// including the white space that follows.
func splitAfter(s string, end func(rune) bool) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !end(rs[i]) {
			continue
		}
		j := i + 1
		for j < len(rs) && (end(rs[j]) || unicode.IsSpace(rs[j])) {
			j++
		}
		out = append(out, string(rs[start:j]))
		start, i = j, j-1
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

// cutLong cuts one over-long sentence at clauses, then spaces, then runes.
func cutLong(s string, max int) []string {
	var out []string
	for _, clause := range splitAfter(s, func(r rune) bool { return strings.ContainsRune(",;:", r) }) {
		if utf8.RuneCountInString(clause) <= max {
			out = append(out, clause)
			continue
		}
		for _, word := range splitAfter(clause, unicode.IsSpace) {
			for rs := []rune(word); len(rs) > 0; {
				k := min(max, len(rs))
				out = append(out, string(rs[:k]))
				rs = rs[k:]
			}
		}
	}
	return out
}
