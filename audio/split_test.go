package audio

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		max  int
		want []string
	}{
		{"", 10, nil},
		{"  Một câu.  ", 100, []string{"Một câu."}},
		{"Câu một. Câu hai! Câu ba?", 100, []string{"Câu một. Câu hai! Câu ba?"}},
		{"Câu một. Câu hai! Câu ba?", 18, []string{"Câu một. Câu hai!", "Câu ba?"}},
		{"Dòng một\nDòng hai", 10, []string{"Dòng một", "Dòng hai"}},
		{"Một, hai, ba, bốn, năm.", 10, []string{"Một, hai,", "ba, bốn,", "năm."}},
		{"abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"Chờ đã… Được rồi.", 9, []string{"Chờ đã…", "Được rồi."}},
	}
	for _, c := range cases {
		got := SplitText(c.text, c.max)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("SplitText(%q, %d) = %q, want %q", c.text, c.max, got, c.want)
		}
	}
}

// TestSplitTextKeepsEveryWord: on a long mixed text, no part is over the
// limit or empty, and the words come back in order.
func TestSplitTextKeepsEveryWord(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("Ngày 25/11, cả xã hưởng ứng: mỗi người một việc, không ai đứng ngoài! Bạo lực gia đình là vi phạm pháp luật. ", 300) +
		strings.Repeat("từdàiquákhôngcódấucách", 400)
	for _, max := range []int{50, 777, 5000} {
		parts := SplitText(text, max)
		for i, p := range parts {
			if n := utf8.RuneCountInString(p); n == 0 || n > max {
				t.Fatalf("max %d: part %d has %d characters", max, i, n)
			}
		}
		if strings.Join(strings.Fields(strings.Join(parts, "")), "") != strings.Join(strings.Fields(text), "") {
			t.Errorf("max %d: the parts do not give back the text", max)
		}
	}
}
