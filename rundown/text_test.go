package rundown

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestVietnameseDateNamesEveryWeekday(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"2026-11-23": "Thứ Hai, 23/11/2026",
		"2026-11-24": "Thứ Ba, 24/11/2026",
		"2026-11-25": "Thứ Tư, 25/11/2026",
		"2026-11-26": "Thứ Năm, 26/11/2026",
		"2026-11-27": "Thứ Sáu, 27/11/2026",
		"2026-11-28": "Thứ Bảy, 28/11/2026",
		"2026-11-29": "Chủ Nhật, 29/11/2026",
		"2027-01-01": "Thứ Sáu, 01/01/2027",
	}
	for day, w := range want {
		if got := VietnameseDate(day); got != w {
			t.Errorf("VietnameseDate(%s) = %q, want %q", day, got, w)
		}
	}
}

func TestReadingTimes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ words, wpm, want int }{
		{260, 130, 120}, {130, 130, 60}, {173, 130, 80}, {1, 130, 0}, {2, 130, 1}, {0, 130, 0}, {300, 150, 120},
	} {
		if got := ReadSeconds(c.words, c.wpm); got != c.want {
			t.Errorf("ReadSeconds(%d, %d) = %d, want %d", c.words, c.wpm, got, c.want)
		}
	}
	if n := Words("  Phòng, chống bạo lực\ngia đình —  mọi người  "); n != 8 {
		t.Errorf("Words = %d, want 8", n)
	}
	for s, want := range map[int]string{0: "khoảng 0 giây", 45: "khoảng 45 giây", 60: "khoảng 1 phút", 80: "khoảng 1 phút 20 giây", 600: "khoảng 10 phút"} {
		if got := Duration(s); got != want {
			t.Errorf("Duration(%d) = %q, want %q", s, got, want)
		}
	}
}

func TestWrapKeepsWordsAndWidth(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("Bạo lực gia đình là hành vi vi phạm pháp luật. ", 12) + strings.Repeat("x", 100)
	lines := wrap(text, 40, "1. ", "   ")
	if !strings.HasPrefix(lines[0], "1. Bạo") {
		t.Fatalf("first line %q", lines[0])
	}
	var words []string
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 40 {
			t.Errorf("line %d has %d characters: %q", i, n, l)
		}
		if i > 0 && !strings.HasPrefix(l, "   ") {
			t.Errorf("line %d not indented: %q", i, l)
		}
		words = append(words, strings.Fields(strings.TrimPrefix(l, "1. "))...)
	}
	joined := strings.Join(words, " ")
	if want := strings.Join(strings.Fields(text), " "); strings.ReplaceAll(joined, " x", "x") != strings.ReplaceAll(want, " x", "x") {
		t.Errorf("words changed:\n%s\n%s", joined, want)
	}
}

func TestTextLayout(t *testing.T) {
	t.Parallel()
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	aired := time.Date(2026, 11, 25, 23, 4, 0, 0, time.UTC) // 06:04 in Hà Nội
	r := Rundown{Station: Station{ID: "s1", Name: "Cụm loa Thôn Đông", Village: "Thôn Đông", Households: 1250}, Date: "2026-11-26", ReadWPM: 130,
		Slots: []Slot{
			{Time: "06:00", ReadSeconds: 140, Items: []Script{
				{Title: "Phòng, chống bạo lực gia đình", Body: "Đoạn một.\n\nĐoạn hai " + strings.Repeat("dài ", 40), Words: 43, ReadSeconds: 20, Status: StatusAired, AiredAt: &aired},
				{Title: "Đường dây nóng 111", Body: "Gọi 111.", Words: 2, ReadSeconds: 120, Status: StatusSkipped, SkipReason: "mất điện"},
			}},
			{Time: "17:30", ReadSeconds: 20, Items: []Script{{Title: "Bình đẳng giới", Body: "Nội dung.", Words: 2, ReadSeconds: 20, Status: StatusPending}}},
		}, TotalReadSeconds: 160}
	text := string(Text(r, hcm))
	for _, want := range []string{
		"LỊCH PHÁT THANH CƠ SỞ\nCụm loa: Cụm loa Thôn Đông\nThôn: Thôn Đông (1.250 hộ)\nNgày: Thứ Năm, 26/11/2026\n" + strings.Repeat("=", TextWidth) + "\n",
		"\n06:00 — 2 bài, khoảng 2 phút 20 giây\n" + strings.Repeat("-", TextWidth) + "\n\n1. Phòng, chống bạo lực gia đình\n   Thời lượng đọc: khoảng 20 giây (43 từ)\n   [Đã phát lúc 06:04 26/11]\n\n   Đoạn một.\n\n   Đoạn hai dài",
		"2. Đường dây nóng 111\n   Thời lượng đọc: khoảng 2 phút (2 từ)\n   [Không phát — lý do: mất điện]\n\n   Gọi 111.\n",
		"\n17:30 — 1 bài, khoảng 20 giây\n",
		"1. Bình đẳng giới\n   Thời lượng đọc: khoảng 20 giây (2 từ)\n\n   Nội dung.\n",
		"Tổng thời lượng đọc: khoảng 2 phút 40 giây (3 bài, 130 từ/phút)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q\n---\n%s", want, text)
		}
	}
	for i, l := range strings.Split(text, "\n") {
		if utf8.RuneCountInString(l) > TextWidth {
			t.Errorf("line %d is %d wide: %q", i, utf8.RuneCountInString(l), l)
		}
	}
	empty := string(Text(Rundown{Station: r.Station, Date: "2026-11-29", ReadWPM: 130, Slots: []Slot{}}, hcm))
	if !strings.Contains(empty, "Ngày: Chủ Nhật, 29/11/2026") || !strings.Contains(empty, "Không có bài nào") {
		t.Errorf("empty rundown:\n%s", empty)
	}
}
