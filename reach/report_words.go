package reach

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/campaigns"
)

// The report's words, in Vietnamese (the report goes to the People's
// Committee and the province).

var metricNames = map[string]string{
	"impressions": "Lượt hiển thị",
	"reach":       "Số người tiếp cận",
	"reach_sum":   "Lượt tiếp cận (cộng theo bài)",
	"engagements": "Lượt tương tác",
	"clicks":      "Lượt nhấp",
	"views":       "Lượt xem",
	"shares":      "Lượt chia sẻ",
	"listeners":   "Lượt hộ nghe",
	"airings":     "Lượt phát",
	"copies":      "Số bản phát hành",
	"scans":       "Lượt quét mã QR",
	"attendance":  "Lượt người tham dự",
}

var kindNames = map[string]string{
	campaigns.KindScript:  "Tin, bài phát thanh",
	campaigns.KindPost:    "Tin, bài đăng",
	campaigns.KindLeaflet: "Tờ rơi, áp phích",
	campaigns.KindEvent:   "Hội nghị, sự kiện",
}

var outcomeNames = map[string]string{
	OutcomeSent:      "Đã thực hiện",
	OutcomeMissed:    "Bỏ lỡ",
	OutcomeSkipped:   "Báo không phát",
	OutcomeDead:      "Lỗi",
	OutcomeCancelled: "Đã hủy",
}

// MetricName is a metric's Vietnamese name (the code when unknown).
func MetricName(m string) string { return orCode(metricNames[m], m) }

// ChannelName is a channel's Vietnamese name.
func ChannelName(ch string) string {
	for _, c := range campaigns.Channels {
		if c.Code == ch {
			return c.Name
		}
	}
	return ch
}

// KindName is an item kind's Vietnamese name.
func KindName(k string) string { return orCode(kindNames[k], k) }

// OutcomeName is an outcome state's Vietnamese name.
func OutcomeName(o string) string { return orCode(outcomeNames[o], o) }

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// placeName is the commune's name without its "Xã" prefix ("Liên Minh"),
// used in the place and date line.
func placeName(commune string) string {
	for _, p := range []string{"Xã ", "xã ", "XÃ ", "Phường ", "Thị trấn "} {
		if strings.HasPrefix(commune, p) {
			return strings.TrimSpace(strings.TrimPrefix(commune, p))
		}
	}
	return commune
}

// issuingBody is the line above the document number: "UBND XÃ LIÊN MINH".
func issuingBody(commune string) string {
	name := norm.NFC.String(strings.ToUpper(commune))
	if !strings.HasPrefix(name, "XÃ ") && !strings.HasPrefix(name, "PHƯỜNG ") && !strings.HasPrefix(name, "THỊ TRẤN ") {
		name = "XÃ " + name
	}
	return "UBND " + name
}

// vnDate is "ngày 20 tháng 11 năm 2026".
func vnDate(day, month, year int) string {
	return fmt.Sprintf("ngày %d tháng %d năm %d", day, month, year)
}

// groupDigits writes n with dots between thousands, as Vietnamese documents do.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percent writes p with one decimal and a comma ("87,5%").
func percent(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', 1, 64), ".", ",", 1) + "%"
}

// asciiSlug keeps letters and digits of s without diacritics, for file names.
func asciiSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r == 'đ':
			b.WriteByte('d')
			dash = false
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r):
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// ReportFilename is the ASCII-safe file name of a report:
// "bao-cao-lien-minh-2026.xlsx".
func ReportFilename(communeID string, year int, ext string) string {
	slug := asciiSlug(communeID)
	if slug == "" {
		slug = "xa"
	}
	return fmt.Sprintf("bao-cao-%s-%d.%s", slug, year, ext)
}
