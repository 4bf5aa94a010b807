package rundown

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/campaigns"
)

// TextWidth is the width, in characters, of the printable rundown: it fits
// an A4 or A5 page in a monospaced font, and a phone held sideways.
const TextWidth = 72

// weekdays are the Vietnamese names of the days of the week, Sunday first
// as time.Weekday counts them.
var weekdays = [7]string{"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// VietnameseDate writes a date (YYYY-MM-DD) the way it is said and printed
// in Vietnam: "Thứ Năm, 26/11/2026". A malformed date is returned as is.
func VietnameseDate(day string) string {
	t, err := time.Parse(campaigns.DateLayout, day)
	if err != nil {
		return day
	}
	return weekdays[t.Weekday()] + ", " + t.Format("02/01/2006")
}

// Duration writes a reading time in words: "khoảng 1 phút 20 giây".
func Duration(seconds int) string {
	m, s := seconds/60, seconds%60
	switch {
	case m == 0:
		return fmt.Sprintf("khoảng %d giây", s)
	case s == 0:
		return fmt.Sprintf("khoảng %d phút", m)
	}
	return fmt.Sprintf("khoảng %d phút %d giây", m, s)
}

// Text is the printable rundown: UTF-8 plain text, TextWidth wide, with the
// station, its village, the date in Vietnamese, each slot with its scripts
// in full and their reading times, and the total. Times of day are written
// in loc, the commune's time zone.
func Text(r Rundown, loc *time.Location) []byte {
	var b strings.Builder
	rule := func(c string) { b.WriteString(strings.Repeat(c, TextWidth) + "\n") }
	line := func(format string, a ...any) { b.WriteString(fmt.Sprintf(format, a...) + "\n") }

	line("LỊCH PHÁT THANH CƠ SỞ")
	for _, l := range wrap(r.Station.Name, TextWidth, "Cụm loa: ", "         ") {
		line("%s", l)
	}
	line("Thôn: %s (%s hộ)", r.Station.Village, groupThousands(r.Station.Households))
	line("Ngày: %s", VietnameseDate(r.Date))
	rule("=")
	if len(r.Slots) == 0 {
		line("")
		line("Không có bài nào được lên lịch phát trong ngày này.")
	}
	n := 0
	for _, slot := range r.Slots {
		line("")
		line("%s — %d bài, %s", slot.Time, len(slot.Items), Duration(slot.ReadSeconds))
		rule("-")
		for i, sc := range slot.Items {
			n++
			writeScript(&b, i+1, sc, loc)
		}
	}
	line("")
	rule("=")
	line("Tổng thời lượng đọc: %s (%d bài, %s từ/phút)", Duration(r.TotalReadSeconds), n, strconv.Itoa(r.ReadWPM))
	return []byte(b.String())
}

// writeScript writes one numbered script: its title, reading time, what
// became of it when known, and its body wrapped and indented.
func writeScript(b *strings.Builder, n int, sc Script, loc *time.Location) {
	const indent = "   "
	head := wrap(sc.Title, TextWidth, fmt.Sprintf("%d. ", n), indent)
	b.WriteString("\n" + strings.Join(head, "\n") + "\n")
	fmt.Fprintf(b, "%sThời lượng đọc: %s (%d từ)\n", indent, Duration(sc.ReadSeconds), sc.Words)
	if st := statusLine(sc, loc); st != "" {
		for _, l := range wrap(st, TextWidth, indent, indent) {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString("\n")
	for _, para := range strings.Split(strings.ReplaceAll(sc.Body, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(para) == "" {
			b.WriteString("\n")
			continue
		}
		for _, l := range wrap(para, TextWidth, indent, indent) {
			b.WriteString(l + "\n")
		}
	}
}

// statusLine says what became of a script, in Vietnamese; "" while pending.
func statusLine(sc Script, loc *time.Location) string {
	switch sc.Status {
	case StatusAired:
		if sc.AiredAt != nil {
			return "[Đã phát lúc " + sc.AiredAt.In(loc).Format("15:04 02/01") + "]"
		}
		return "[Đã phát]"
	case StatusSkipped:
		return "[Không phát — lý do: " + sc.SkipReason + "]"
	case StatusMissed:
		return "[Chưa được xác nhận là đã phát]"
	}
	return ""
}

// wrap breaks text at spaces into lines of at most width characters: the
// first line starts with first, the others with rest. A word longer than a
// line is cut.
func wrap(text string, width int, first, rest string) []string {
	var out []string
	cur, n, empty := first, runes(first), true
	for _, w := range strings.Fields(text) {
		wl := runes(w)
		if !empty && n+1+wl > width {
			out = append(out, cur)
			cur, n, empty = rest, runes(rest), true
		}
		for empty && n+wl > width && width > n {
			r := []rune(w)
			out = append(out, cur+string(r[:width-n]))
			w, wl = string(r[width-n:]), len(r)-(width-n)
			cur, n = rest, runes(rest)
		}
		if !empty {
			cur, n = cur+" ", n+1
		}
		cur, n, empty = cur+w, n+wl, false
	}
	if !empty {
		out = append(out, cur)
	}
	return out
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// groupThousands writes n with dots between thousands, as Vietnamese does.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupThousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
