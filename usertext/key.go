package usertext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key makes s usable as one BSON field name of a dotted update path, on
// MongoDB and on the embedded store alike, and Unkey gives s back exactly.
//
// What the stores refuse (measured on the embedded store, see key_test.go):
// NUL anywhere (the driver), '.' (a path separator), a leading '$', an empty
// name, and a name that begins or ends with a Unicode white-space character
// ("contains an empty field name"). Key percent-encodes, as UTF-8 bytes:
// '%' itself (so the escape is reversible), '.', '$', every control
// character, and white space at either end; the empty string becomes "%".
// Vietnamese text stays readable: "Thôn Đông" is its own key.
func Key(s string) string {
	if s == "" {
		return "%"
	}
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		edge := i == 0 || i+size == len(s)
		if r == '%' || r == '.' || r == '$' || r == utf8.RuneError || unicode.IsControl(r) || (edge && unicode.IsSpace(r)) {
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	if strings.ContainsAny(s, "%.$") || strings.ContainsFunc(s, unicode.IsControl) || !utf8.ValidString(s) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}

// Unkey reverses Key. A malformed escape is kept as it is.
func Unkey(k string) string {
	if k == "%" {
		return ""
	}
	if !strings.Contains(k, "%") {
		return k
	}
	var b []byte
	for i := 0; i < len(k); i++ {
		if k[i] == '%' && i+2 < len(k) {
			if v, ok := unhex(k[i+1], k[i+2]); ok {
				b = append(b, v)
				i += 2
				continue
			}
		}
		b = append(b, k[i])
	}
	return string(b)
}

func unhex(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
