package vitext

import (
	"strings"
)

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// scales name each group of three digits, from the units up; beyond
// "tỷ" Vietnamese counts "nghìn tỷ", "triệu tỷ".
var scales = []string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"}

// Reader reads numbers in one regional style. The zero value is the
// northern, standard style ("một trăm linh năm"); South reads "lẻ"
// ("một trăm lẻ năm").
type Reader struct {
	South bool
}

// Number reads n in words: 21 "hai mươi mốt", 15 "mười lăm", 105 "một
// trăm linh năm", 2026 "hai nghìn không trăm hai mươi sáu", 1,000,005
// "một triệu không trăm linh năm".
func (r Reader) Number(n int64) string {
	if n == 0 {
		return digitWords[0]
	}
	var words []string
	if n < 0 {
		words = append(words, "âm")
		n = -n
	}
	var groups []int
	for ; n > 0; n /= 1000 {
		groups = append(groups, int(n%1000))
	}
	first := true
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		words = append(words, r.three(g, !first)...)
		if scales[i] != "" {
			words = append(words, scales[i])
		}
		first = false
	}
	return strings.Join(words, " ")
}

// three reads 1–999; full reads the hundreds even when zero ("không
// trăm"), as Vietnamese does inside a larger number.
func (r Reader) three(g int, full bool) []string {
	h, t, u := g/100, g/10%10, g%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u == 0:
	case t == 0 && len(w) > 0:
		odd := "linh"
		if r.South {
			odd = "lẻ"
		}
		w = append(w, odd, digitWords[u])
	case t == 0:
		w = append(w, digitWords[u])
	case t == 1:
		w = append(w, "mười")
		w = append(w, unitAfterTen(u, false)...)
	default:
		w = append(w, digitWords[t], "mươi")
		w = append(w, unitAfterTen(u, true)...)
	}
	return w
}

// unitAfterTen reads the units after a ten: 5 is "lăm", and 1 after
// twenty and up is "mốt".
func unitAfterTen(u int, twentyUp bool) []string {
	switch {
	case u == 0:
		return nil
	case u == 5:
		return []string{"lăm"}
	case u == 1 && twentyUp:
		return []string{"mốt"}
	}
	return []string{digitWords[u]}
}

// Number reads n in the standard (northern) style.
func Number(n int64) string { return Reader{}.Number(n) }

// Digits reads each digit of s on its own ("111" → "một một một"); runs of
// digits separated by spaces, dots or dashes become comma-separated groups,
// which speech engines read with a short pause ("1800 1567" → "một tám
// không không, một năm sáu bảy"). Other characters are dropped.
func Digits(s string) string {
	var groups []string
	var cur []string
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			cur = append(cur, digitWords[c-'0'])
		case len(cur) > 0:
			groups = append(groups, strings.Join(cur, " "))
			cur = nil
		}
	}
	if len(cur) > 0 {
		groups = append(groups, strings.Join(cur, " "))
	}
	return strings.Join(groups, ", ")
}
