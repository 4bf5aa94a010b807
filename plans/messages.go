package plans

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
)

// msg is a message in Vietnamese and English; %-verbs take the arguments
// of the problem, and an argument that is itself a msg is said in the same
// language.
type msg struct{ vi, en string }

func (m msg) in(lang string, args ...any) string {
	for i, a := range args {
		if w, ok := a.(msg); ok {
			args[i] = w.in(lang)
		}
	}
	if lang == "en" {
		return fmt.Sprintf(m.en, args...)
	}
	return fmt.Sprintf(m.vi, args...)
}

// problem is one error found in a file, said in the user's language only
// when the report is made. Row 0 is the file as a whole; col noCol a row.
type problem struct {
	row  int
	col  col
	m    msg
	args []any
}

// CellError is an error in a plan file: the spreadsheet's row number (0:
// the file as a whole), the column's Vietnamese header ("" for a whole
// row), and a sentence in the user's language that names both.
type CellError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

func (p problem) render(lang string) CellError {
	text := p.m.in(lang, append([]any(nil), p.args...)...)
	e := CellError{Row: p.row}
	switch {
	case p.row == 0:
		e.Message = capitalise(text)
	case p.col == noCol:
		e.Message = msg{"Dòng %d: %s", "Row %d: %s"}.in(lang, p.row, text)
	default:
		c := columns[p.col]
		e.Column = c.vi
		if lang == "en" {
			e.Message = fmt.Sprintf("Row %d, column %s (%s): %s", p.row, c.vi, c.en, text)
		} else {
			e.Message = fmt.Sprintf("Dòng %d, cột %s: %s", p.row, c.vi, text)
		}
	}
	return e
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// listOf joins words for a message ("a, b, c"), at most 12 of them.
func listOf(words []string) string {
	if len(words) > 12 {
		return strings.Join(words[:12], ", ") + ", …"
	}
	return strings.Join(words, ", ")
}

// Numbers in messages, written as each language does.
var (
	nMaxRows      = msg{"2.000", "2,000"}
	nMaxSheetRows = msg{"10.000", "10,000"}
)

// Messages about the file as a whole.
var (
	mEmpty      = msg{"tệp trống", "the file is empty"}
	mTooBig     = msg{"tệp lớn hơn 5 MB (%.1f MB); hãy chia kế hoạch thành nhiều tệp", "the file is larger than 5 MB (%.1f MB); split the plan into several files"}
	mOldExcel   = msg{"đây là tệp Excel cũ (.xls) hoặc có mật khẩu; hãy mở và lưu lại dưới dạng Sổ làm việc Excel (.xlsx), không đặt mật khẩu", "this is an old Excel file (.xls) or one with a password; open it and save it as an Excel Workbook (.xlsx) without a password"}
	mUTF16      = msg{"tệp văn bản này dùng mã UTF-16; hãy lưu lại dưới dạng «CSV UTF-8 (phân cách bằng dấu phẩy)»", "this text file is in UTF-16; save it as «CSV UTF-8 (Comma delimited)»"}
	mNotUTF8    = msg{"tệp CSV không dùng mã UTF-8 (từ dòng %d); trong Excel hãy chọn Lưu thành «CSV UTF-8 (phân cách bằng dấu phẩy)»", "the CSV file is not in UTF-8 (from row %d); in Excel choose Save as «CSV UTF-8 (Comma delimited)»"}
	mUnreadable = msg{"không đọc được tệp: không phải sổ làm việc Excel (.xlsx) hay tệp CSV hợp lệ", "cannot read the file: it is not a valid Excel workbook (.xlsx) or CSV file"}
	mUnzipBig   = msg{"tệp Excel khi giải nén quá lớn (hơn %d MB); hãy xoá các trang tính và hình ảnh không cần", "the Excel file is too large once unpacked (over %d MB); remove the sheets and pictures you do not need"}
	mMerges     = msg{"tệp có quá nhiều ô gộp (hơn %d)", "the file has too many merged cells (over %d)"}
	mCSVQuote   = msg{"dòng %d: dấu ngoặc kép không khớp", "row %d: unbalanced quotation marks"}
	mTooMany    = msg{"tệp có hơn %s dòng dữ liệu; mỗi lần nhập tối đa %[1]s dòng, hãy chia thành nhiều tệp", "the file has more than %s data rows; import at most %[1]s at a time, in several files"}
	mTooLong    = msg{"bảng kéo dài quá dòng %s; hãy xoá các dòng thừa ở cuối", "the table goes beyond row %s; delete the rows you do not need at its end"}
	mNoHeader   = msg{"không tìm thấy dòng tiêu đề cột (Loại, Tiêu đề, Nội dung, Kênh, Ngày, Giờ, …) trong %d dòng đầu; hãy dùng tệp mẫu", "no row of column headers (Loại, Tiêu đề, Nội dung, Kênh, Ngày, Giờ, …) in the first %d rows; use the template"}
	mNoRows     = msg{"không có dòng dữ liệu nào dưới dòng tiêu đề", "there are no data rows below the headers"}
)

// Messages about a row or a cell.
var (
	mMissingCol  = msg{"thiếu cột này trong dòng tiêu đề", "this column is missing from the headers"}
	mDupCol      = msg{"cột này có hai lần (cột %s và cột %s); hãy giữ một", "this column appears twice (columns %s and %s); keep one"}
	mRequired    = msg{"bắt buộc nhưng đang để trống", "is required but empty"}
	mCellTooLong = msg{"dài %d ký tự, tối đa %d", "is %d characters long; at most %d"}
	mControl     = msg{"có ký tự điều khiển (%U) không được phép; hãy gõ lại ô này", "holds a control character (%U) that is not allowed; retype this cell"}
	mBadKind     = msg{"'%s' không phải loại hợp lệ; hãy viết Loa, Bài đăng, Tờ rơi hoặc Sự kiện", "'%s' is not a valid kind; write Loa (script), Bài đăng (post), Tờ rơi (leaflet) or Sự kiện (event)"}
	mBadChannel  = msg{"'%s' không phải kênh hợp lệ; hãy dùng: %s", "'%s' is not a valid channel; use: %s"}
	mNoChannel   = msg{"%s cần ít nhất một kênh: %s", "a %s needs at least one channel: %s"}
	mWrongChan   = msg{"%s không dùng kênh %s; chỉ dùng: %s", "a %s does not go out on %s; use only: %s"}
	mBadDate     = msg{"'%s' không phải ngày hợp lệ, hãy viết ngày/tháng/năm như 25/11/2026", "'%s' is not a valid date; write day/month/year as 25/11/2026"}
	mFixDate     = msg{"'%s' không phải ngày hợp lệ, hãy viết %s", "'%s' is not a valid date; write %s"}
	mDateOutside = msg{"ngày %s nằm ngoài chiến dịch (%s – %s) và 30 ngày trước, sau", "%s is outside the campaign (%s – %s) and the 30 days around it"}
	mBadTime     = msg{"'%s' không phải giờ hợp lệ, hãy viết giờ:phút như 06:30", "'%s' is not a valid time; write hours:minutes as 06:30"}
	mFixTime     = msg{"'%s' không phải giờ hợp lệ, hãy viết %s", "'%s' is not a valid time; write %s"}
	mManyTimes   = msg{"tối đa %d giờ mỗi ngày", "at most %d times a day"}
	mPast        = msg{"%s lúc %s đã qua", "%s at %s is in the past"}
	mUntilBefore = msg{"ngày %s trước Ngày (%s)", "%s is before the Date (%s)"}
	mSpan        = msg{"lặp lại tối đa %d ngày", "a repetition spans at most %d days"}
	mBadWeekday  = msg{"'%s' không phải thứ hợp lệ; hãy viết T2, T3, T4, T5, T6, T7 hoặc CN", "'%s' is not a valid weekday; write T2 (Monday) … T7 (Saturday) or CN (Sunday)"}
	mNoMoments   = msg{"không có buổi nào từ %s đến %s vào các thứ này", "there is no day from %s to %s on these weekdays"}
	mAllPast     = msg{"mọi buổi từ %s đến %s đều đã qua", "every time from %s to %s is in the past"}
	mNeedStation = msg{"bài phát thanh cần ít nhất một cụm loa (hoặc «Tất cả»)", "a script needs at least one loudspeaker station (or «Tất cả», all)"}
	mNoStations  = msg{"xã chưa có cụm loa nào; hãy thêm cụm loa trước khi nhập bài phát thanh", "the commune has no loudspeaker stations yet; add them before importing scripts"}
	mOnlyScripts = msg{"chỉ bài phát thanh (Loa) mới phát trên cụm loa; hãy để trống ô này", "only scripts (Loa) are read on loudspeaker stations; leave this cell empty"}
	mBadStation  = msg{"không có cụm loa tên '%s'; các cụm loa: %s", "there is no station named '%s'; the stations are: %s"}
	mTwoStations = msg{"có nhiều cụm loa tên '%s'; hãy ghi kèm thôn: %s", "several stations are named '%s'; add the village: %s"}
	mBadAudience = msg{"'%s' không phải đối tượng đã biết; hãy dùng: %s", "'%s' is not a known audience; use: %s"}
	mBadLink     = msg{"'%s' không phải địa chỉ http(s) hợp lệ", "'%s' is not a valid http(s) address"}
	mNeedPlace   = msg{"sự kiện cần địa điểm", "an event needs a place"}
	mSameAs      = msg{"trùng với dòng %d; hãy xoá một dòng", "repeats row %d; delete one of them"}
	mRefused     = msg{"không được chấp nhận: %s", "was refused: %s"}
)

// Kind names in messages.
var kindWords = map[string]msg{
	"script":  {"bài phát thanh (loa)", "script"},
	"post":    {"bài đăng", "post"},
	"leaflet": {"tờ rơi", "leaflet"},
	"event":   {"sự kiện", "event"},
}

// fieldCols are the columns of the fields campaigns names in its errors.
var fieldCols = map[string]col{
	"kind": colKind, "title": colTitle, "body": colBody, "channels": colChannels,
	"schedule": colDate, "schedule.at": colDate, "schedule.from": colDate, "schedule.times": colTimes,
	"schedule.to": colUntil, "schedule.weekdays": colWeekdays, "station_ids": colStations,
	"audiences": colAudiences, "link": colLink, "place": colPlace,
}

// campaignProblem says a row the campaign refused in the plan's words. The
// plan's own checks find these first; what is left names the field.
func campaignProblem(e campaigns.PlanError) problem {
	if e.SameAs > 0 {
		return problem{e.Row, noCol, mSameAs, []any{e.SameAs}}
	}
	c, reason := noCol, e.Err.Error()
	var v *apperr.ValidationError
	if errors.As(e.Err, &v) {
		reason = v.Reason
		if fc, ok := fieldCols[v.Field]; ok {
			c = fc
		}
	}
	return problem{e.Row, c, mRefused, []any{reason}}
}
