package plans

import (
	"strings"

	"github.com/lantoa/lantoa/usertext"
)

// col is a column of the plan, in the template's order.
type col int

const (
	colKind col = iota
	colTitle
	colBody
	colChannels
	colDate
	colTimes
	colUntil
	colWeekdays
	colStations
	colAudiences
	colLink
	colPlace
	numCols

	noCol col = -1 // an error about a whole row
)

// column is what the plan knows of a column: its header in the template
// (Vietnamese) and in English, other headers accepted, its length cap in
// characters, and its note in the template.
type column struct {
	vi, en   string
	aliases  []string
	max      int
	block    bool // several lines allowed
	required bool
	width    float64
	noteVI   string
	noteEN   string
}

// columns are the plan's columns (SPEC §6.4). Headers are compared folded
// (fold), without a trailing "(…)" or "*".
var columns = [numCols]column{
	colKind: {vi: "Loại", en: "Kind", aliases: []string{"Loại nội dung", "Hình thức", "Type"}, max: 40, required: true, width: 12,
		noteVI: "Bắt buộc. Loa (bài phát thanh), Bài đăng, Tờ rơi hoặc Sự kiện.",
		noteEN: "Required: loa (script), bài đăng (post), tờ rơi (leaflet) or sự kiện (event)."},
	colTitle: {vi: "Tiêu đề", en: "Title", aliases: []string{"Tên", "Tên hoạt động"}, max: usertext.TitleMax, required: true, width: 36,
		noteVI: "Bắt buộc, tối đa 200 ký tự.", noteEN: "Required, at most 200 characters."},
	colBody: {vi: "Nội dung", en: "Content", aliases: []string{"Body", "Text", "Message"}, max: usertext.BodyMax, block: true, required: true, width: 60,
		noteVI: "Bắt buộc, tối đa 10.000 ký tự; xuống dòng bằng Alt+Enter.", noteEN: "Required, at most 10,000 characters; Alt+Enter starts a new line."},
	colChannels: {vi: "Kênh", en: "Channels", aliases: []string{"Kênh truyền thông", "Channel"}, max: 300, width: 22,
		noteVI: "Cách nhau bằng dấu phẩy: Truyền thanh, Facebook, Zalo, Cổng thông tin, Bản in, Sự kiện. Loa chỉ phát trên Truyền thanh; bài đăng lên Facebook, Zalo, Cổng thông tin; tờ rơi thêm Bản in; sự kiện là Sự kiện. Để trống với loa và sự kiện.",
		noteEN: "Comma-separated. A script goes on Truyền thanh (loudspeaker); a post on Facebook, Zalo, Cổng thông tin (portal); a leaflet also on Bản in (print); an event is Sự kiện. May be left empty for scripts and events."},
	colDate: {vi: "Ngày", en: "Date", aliases: []string{"Từ ngày", "Ngày bắt đầu", "From", "Start date", "Start"}, max: 40, required: true, width: 13,
		noteVI: "Bắt buộc, ngày/tháng/năm: 25/11/2026. Trong thời gian chiến dịch, hoặc 30 ngày trước hay sau.",
		noteEN: "Required, day/month/year: 25/11/2026. Within the campaign, or 30 days before or after it."},
	colTimes: {vi: "Giờ", en: "Time", aliases: []string{"Giờ phát", "Times", "Time of day"}, max: 200, required: true, width: 14,
		noteVI: "Bắt buộc, giờ:phút theo 24 giờ: 06:30. Nhiều giờ cách nhau bằng dấu phẩy: 06:00, 17:30 (lặp lại mỗi ngày).",
		noteEN: "Required, hours:minutes on 24 hours: 06:30. Several times comma-separated: 06:00, 17:30 (repeated each day)."},
	colUntil: {vi: "Đến ngày", en: "Until", aliases: []string{"Ngày kết thúc", "To", "End date", "To date", "End"}, max: 40, width: 13,
		noteVI: "Để trống nếu chỉ một lần. Có ngày này (hoặc nhiều giờ, hoặc cột Thứ) thì lặp lại mỗi ngày từ Ngày đến ngày này.",
		noteEN: "Leave empty for once. With it (or several times, or weekdays) the item repeats every day from Date to this date."},
	colWeekdays: {vi: "Thứ", en: "Weekdays", aliases: []string{"Các thứ", "Thứ trong tuần", "Days", "Weekday"}, max: 100, width: 14,
		noteVI: "Chỉ những thứ này trong khoảng lặp lại: T2, T3, T4, T5, T6, T7, CN; ví dụ T2, T4, T6 hoặc T2-T6.",
		noteEN: "Only these days of the week within the repetition: T2 (Monday) … T7 (Saturday), CN (Sunday); e.g. T2, T4, T6 or T2-T6."},
	colStations: {vi: "Cụm loa", en: "Stations", aliases: []string{"Cụm loa truyền thanh", "Trạm loa", "Loudspeaker stations", "Station"}, max: 2000, width: 24,
		noteVI: "Bắt buộc với loa: tên cụm loa như trong mục Cụm loa, cách nhau bằng dấu phẩy, hoặc «Tất cả». Hai cụm cùng tên: ghi kèm thôn, như «Cụm 1 (Thôn Đông)».",
		noteEN: "Required for scripts: station names as listed under Stations, comma-separated, or «Tất cả» (all). Two stations with one name: add the village, as in «Cụm 1 (Thôn Đông)»."},
	colAudiences: {vi: "Đối tượng", en: "Audiences", aliases: []string{"Đối tượng truyền thông", "Nhóm đối tượng", "Audience", "Target group"}, max: 1000, width: 24,
		noteVI: "Không bắt buộc, cách nhau bằng dấu chấm phẩy: Phụ nữ; Thanh niên; Học sinh, sinh viên; …",
		noteEN: "Optional, semicolon-separated Vietnamese names (or codes): Phụ nữ (women); Thanh niên (youth); …"},
	colLink: {vi: "Liên kết", en: "Link", aliases: []string{"Đường dẫn", "URL"}, max: 2000, width: 24,
		noteVI: "Không bắt buộc: địa chỉ bắt đầu bằng https:// hoặc http://", noteEN: "Optional: an address starting with https:// or http://"},
	colPlace: {vi: "Địa điểm", en: "Place", aliases: []string{"Nơi tổ chức", "Location", "Venue"}, max: 300, width: 24,
		noteVI: "Bắt buộc với sự kiện.", noteEN: "Required for events."},
}

// headerNames maps folded headers to their column.
var headerNames = func() map[string]col {
	m := map[string]col{}
	for c := range numCols {
		for _, h := range append([]string{columns[c].vi, columns[c].en}, columns[c].aliases...) {
			m[fold(h)] = c
		}
	}
	return m
}()

// headerCol returns the column a header cell names: "Giờ", "giờ (HH:MM)",
// "Ngày*" and "Time" all name theirs.
func headerCol(cell string) (col, bool) {
	h := strings.TrimSpace(cell)
	if i := strings.IndexByte(h, '('); i > 0 {
		h = h[:i]
	}
	h = strings.TrimRight(strings.TrimSpace(h), "*: ")
	c, ok := headerNames[fold(h)]
	return c, ok
}
