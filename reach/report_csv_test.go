package reach

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestCSVTextNeutralisesFormulas: OWASP's formula triggers get a leading
// quote (after leading spaces too); other text, control characters
// removed, passes as it is; the row is RFC 4180 that encoding/csv reads back.
func TestCSVTextNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`=HYPERLINK("http://x")`: `'=HYPERLINK("http://x")`,
		"+1":                     "'+1",
		"-2":                     "'-2",
		"@SUM(A1)":               "'@SUM(A1)",
		"\tx":                    "'\tx",
		"\rx":                    "'\rx",
		"  =1+1":                 "'  =1+1",
		"\x01=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"Thôn Đông":              "Thôn Đông",
		"a=b":                    "a=b",
		"Bé\x00\x7f\ufffe":       "Bé",
		"":                       "",
	}
	for in, want := range cases {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
	var b bytes.Buffer
	writeCSVRow(&b, []string{"=1", `"x"`, "-5"}, []int{2})
	if b.String() != `"'=1","""x""","-5"`+"\r\n" {
		t.Fatalf("row %q", b.String())
	}
	rec, err := csv.NewReader(&b).Read()
	if err != nil || len(rec) != 3 || rec[0] != "'=1" || rec[1] != `"x"` || rec[2] != "-5" {
		t.Fatalf("read back %q %v", rec, err)
	}
}
