package usertext_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/usertext"
)

func TestLineAndBlock(t *testing.T) {
	t.Parallel()
	nfd := "Tho\u0302n \u0110o\u0302ng" // "Thôn Đông" with combining marks
	cases := []struct {
		name, in  string
		line      string
		block     string
		wantError bool
	}{
		{"plain", "Thôn Đông", "Thôn Đông", "Thôn Đông", false},
		{"nfd becomes nfc", nfd, "Thôn Đông", "Thôn Đông", false},
		{"trimmed", "  a b  ", "a b", "a b", false},
		{"trailing newline", "a b\r\n", "a b", "a b", false},
		{"tabs kept in blocks", "a\tb", "a b", "a\tb", false},
		{"tab", "a\t\tb", "a b", "a\t\tb", false},
		{"nul", "a\x00b", "", "", true},
		{"bell", "a\ab", "", "", true},
		{"escape", "\x1b[31m", "", "", true},
		{"del", "a\x7fb", "", "", true},
		{"c1", "a\u0085b", "", "", true},
		{"noncharacter", "a\uFFFEb", "", "", true},
		{"plane noncharacter", "a\U0001FFFFb", "", "", true},
		{"invalid utf-8", "a\xffb", "", "", true},
		{"emoji is fine", "Hãy gọi 111 📞", "Hãy gọi 111 📞", "Hãy gọi 111 📞", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := usertext.Line("f", c.in, 100)
			if c.wantError != (err != nil) || l != c.line {
				t.Errorf("Line(%q) = %q, %v", c.in, l, err)
			}
			b, err := usertext.Block("f", c.in, 100)
			if c.wantError != (err != nil) || b != c.block {
				t.Errorf("Block(%q) = %q, %v", c.in, b, err)
			}
			var v *apperr.ValidationError
			if err != nil && (!errors.As(err, &v) || v.Field != "f") {
				t.Errorf("error %v does not name the field", err)
			}
		})
	}
}

func TestCapCountsCharactersNotBytes(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("Đ", 10) // 20 bytes
	if _, err := usertext.Line("name", s, 10); err != nil {
		t.Fatalf("10 characters refused: %v", err)
	}
	_, err := usertext.Line("name", s+"a", 10)
	var v *apperr.ValidationError
	if !errors.As(err, &v) || v.Field != "name" {
		t.Fatalf("11 characters: %v", err)
	}
}

func TestStrip(t *testing.T) {
	t.Parallel()
	if got := usertext.Strip("a\x00b\x1bc\xffd\u0085e\nf\tg"); got != "abcde\nf\tg" {
		t.Fatalf("Strip = %q", got)
	}
}

func TestKeyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "Thôn Đông", "a.b", "$x", "x$", "100%", "%25", " lead", "trail ", "\u3000x\u3000",
		"a\x00b", "tab\tin", "\x01", "%", "%%", "%2", "a%2Eb", "\u00a0", "mid space", "a\xffb"} {
		k := usertext.Key(s)
		if got := usertext.Unkey(k); got != s {
			t.Errorf("Unkey(Key(%q)) = %q (key %q)", s, got, k)
		}
		if k == "" || strings.ContainsAny(k, ".$\x00") {
			t.Errorf("Key(%q) = %q still holds what the store refuses", s, k)
		}
	}
	if usertext.Key("Thôn Đông") != "Thôn Đông" || usertext.Key("a.b") != "a%2Eb" {
		t.Fatal("Key changed readable or already-escaped text")
	}
}

func FuzzKey(f *testing.F) {
	for _, s := range []string{"", "Thôn 1", "a.b$c%", " x ", "\x00", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := usertext.Key(s)
		if strings.ContainsAny(k, ".$\x00") || k == "" {
			t.Fatalf("Key(%q) = %q", s, k)
		}
		if got := usertext.Unkey(k); got != s {
			t.Fatalf("Unkey(Key(%q)) = %q", s, got)
		}
	})
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "Thôn 1", "a\r\nb", "\x00", "Tho\u0302n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := usertext.Block("body", s, 0)
		if err != nil {
			return
		}
		if strings.ContainsFunc(out, usertext.Forbidden) || strings.Contains(out, "\r") {
			t.Fatalf("Block(%q) = %q keeps a forbidden character", s, out)
		}
		again, err := usertext.Block("body", out, 0)
		if err != nil || again != out {
			t.Fatalf("Block is not idempotent: %q → %q (%v)", out, again, err)
		}
	})
}

func TestLineBreaks(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"a\nb", "a\r\nb", "a\rb", "a\u2028b"} {
		if _, err := usertext.Line("name", in, 0); err == nil {
			t.Errorf("Line(%q) accepted a line break", in)
		}
		if b, err := usertext.Block("body", in+"  \n", 0); err != nil || b != "a\nb" {
			t.Errorf("Block(%q) = %q, %v", in, b, err)
		}
	}
}
