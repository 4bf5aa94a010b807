package media

import (
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

func TestWrapKeepsLinesWithinWidth(t *testing.T) {
	t.Parallel()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	b, err := layout("Một đoạn.\n\n\nHai https://lantoa.example.vn/mot-duong-dan-rat-dai-khong-co-dau-cach", fonts.regular, 20, 1.3, 150)
	if err != nil {
		t.Fatal(err)
	}
	if b.lines[0] != "Một đoạn." || b.lines[1] != "" || b.lines[2] == "" {
		t.Errorf("paragraphs not kept apart by one blank line: %q", b.lines)
	}
	for _, l := range b.lines {
		if w := font.MeasureString(b.face, l); w > fixed.I(150) {
			t.Errorf("line %q is %d px wide, box is 150", l, w.Ceil())
		}
	}
	if joined := strings.Join(b.lines, ""); !strings.Contains(joined, "khong-co-dau-cach") {
		t.Errorf("long word lost text: %q", b.lines)
	}
}

func TestFitShrinksThenTruncates(t *testing.T) {
	t.Parallel()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	spec := fitSpec{font: fonts.bold, maxPx: 80, minPx: 30, spacing: 1.2, width: 600, height: 300, maxLines: 3}
	short, err := fit("Nói không", spec)
	if err != nil || len(short.lines) != 1 || short.face.Metrics().Ascent.Round() < 70 {
		t.Fatalf("short title not kept at full size: %q, %v", short.lines, err)
	}
	long, err := fit(strings.Repeat("Nói không với bạo lực gia đình. ", 4), spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(long.lines) > 3 || long.height() > 300 || long.width() > 600 {
		t.Fatalf("long title overflows: %d lines, %d×%d px", len(long.lines), long.width(), long.height())
	}
	huge, err := fit(strings.Repeat("Nói không với bạo lực gia đình. ", 20), spec)
	if err != nil {
		t.Fatal(err)
	}
	last := huge.lines[len(huge.lines)-1]
	if len(huge.lines) > 3 || huge.height() > 300 || huge.width() > 600 || !strings.HasSuffix(last, ellipsis) {
		t.Fatalf("over-long title not cut with an ellipsis: %q (%d×%d)", huge.lines, huge.width(), huge.height())
	}
}
