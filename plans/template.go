package plans

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the plan's sheet in the template and the export.
const SheetName = "Kế hoạch"

// notes is the notes block beside the table (column N on): the import
// reads only the plan's columns, so these lines are never data.
var notes = []string{
	"HƯỚNG DẪN",
	"1. Mỗi dòng là một nội dung của chiến dịch; khi nhập, các dòng thành bản nháp chờ gửi duyệt.",
	"2. Dòng có Tiêu đề bắt đầu bằng «Ví dụ:» được bỏ qua khi nhập: hãy ghi đè hoặc xoá các dòng ví dụ.",
	"3. Ngày viết ngày/tháng/năm (25/11/2026); Giờ viết giờ:phút (06:30), nhiều giờ cách nhau bằng dấu phẩy.",
	"4. Một lần: Ngày và một Giờ. Lặp lại: thêm Đến ngày, hoặc nhiều Giờ, hoặc các Thứ (T2 … T7, CN).",
	"5. Loa cần Cụm loa; Sự kiện cần Địa điểm; Bài đăng và Tờ rơi cần Kênh.",
	"6. Di chuột lên tiêu đề cột để xem ghi chú từng cột.",
	"7. Tối đa 2.000 dòng, tệp tối đa 5 MB; có thể lưu thành CSV UTF-8.",
	"8. Nhập lại cùng một tệp không tạo trùng: các dòng đã nhập được bỏ qua.",
	"",
	"HOW TO FILL IN",
	"1. Each row is one item of the campaign; imported rows become drafts to submit for approval.",
	"2. Rows whose title starts with «Ví dụ:» (example) are skipped: overwrite or delete them.",
	"3. Dates are day/month/year (25/11/2026); times hours:minutes (06:30), several comma-separated.",
	"4. Once: a date and one time. Repeated: add Đến ngày (until), several times, or weekdays in Thứ.",
	"5. Scripts (Loa) need stations (Cụm loa); events (Sự kiện) a place; posts and leaflets channels.",
	"6. Point at a column header to read its note. At most 2,000 rows and 5 MB; CSV UTF-8 is fine too.",
	"7. Importing the same file again creates nothing twice.",
}

// sheet writes the plan's sheet: headers with their notes, the columns'
// formats and lists, then rows.
type sheet struct {
	f                          *excelize.File
	header, text, example, top int
	next                       int // the next row to write
}

func newSheet() (*sheet, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, err
	}
	w := &sheet{f: f, next: 2}
	// Text format (49, "@") for every cell of the table, so that a typed
	// 06:30 or 25/11/2026 stays what was typed instead of becoming a time
	// or a date read in the spreadsheet program's locale.
	styles := []struct {
		id *int
		s  *excelize.Style
	}{
		{&w.header, &excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&w.text, &excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&w.example, &excelize.Style{NumFmt: 49, Font: &excelize.Font{Italic: true, Color: "666666"},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&w.top, &excelize.Style{Font: &excelize.Font{Bold: true}}},
	}
	for _, st := range styles {
		id, err := f.NewStyle(st.s)
		if err != nil {
			return nil, err
		}
		*st.id = id
	}
	return w, w.layout()
}

func (w *sheet) layout() error {
	f := w.f
	for c := range numCols {
		name, _ := excelize.ColumnNumberToName(int(c) + 1)
		cell := name + "1"
		steps := []error{
			f.SetColWidth(SheetName, name, name, columns[c].width),
			f.SetColStyle(SheetName, name, w.text),
			f.SetCellStr(SheetName, cell, columns[c].vi),
			f.SetCellStyle(SheetName, cell, cell, w.header),
			f.AddComment(SheetName, excelize.Comment{Cell: cell, Author: "Lan Tỏa",
				Text: columns[c].vi + " (" + columns[c].en + "): " + columns[c].noteVI + "\n" + columns[c].noteEN}),
		}
		for _, err := range steps {
			if err != nil {
				return fmt.Errorf("writing column %s: %w", columns[c].vi, err)
			}
		}
	}
	if err := w.lists(); err != nil {
		return err
	}
	notesCol, _ := excelize.ColumnNumberToName(int(numCols) + 2)
	if err := f.SetColWidth(SheetName, notesCol, notesCol, 100); err != nil {
		return err
	}
	for i, line := range notes {
		cell := fmt.Sprintf("%s%d", notesCol, i+1)
		if err := f.SetCellStr(SheetName, cell, line); err != nil {
			return err
		}
		if strings.ToUpper(line) == line && line != "" {
			if err := f.SetCellStyle(SheetName, cell, cell, w.top); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// lists adds the drop-down lists: kinds (a warning for other words, which
// the import may still read, as English kinds), and channels (information
// only: a cell may hold several, comma-separated).
func (w *sheet) lists() error {
	last := MaxRows + 1
	kinds := make([]string, len(kindOrder))
	for i, k := range kindOrder {
		kinds[i] = kindLabels[k]
	}
	kind := excelize.NewDataValidation(true)
	kind.SetSqref(fmt.Sprintf("A2:A%d", last))
	kind.SetError(excelize.DataValidationErrorStyleWarning, "Loại", "Loa, Bài đăng, Tờ rơi hoặc Sự kiện.")
	if err := kind.SetDropList(kinds); err != nil {
		return err
	}
	chans := make([]string, 0, len(channelLabels))
	for _, c := range allChannels() {
		chans = append(chans, channelLabels[c])
	}
	ch := excelize.NewDataValidation(true)
	ch.SetSqref(fmt.Sprintf("D2:D%d", last))
	ch.SetError(excelize.DataValidationErrorStyleInformation, "Kênh", "Nhiều kênh: cách nhau bằng dấu phẩy, như «Facebook, Zalo».")
	ch.SetInput("Kênh", "Chọn một kênh, hoặc gõ nhiều kênh cách nhau bằng dấu phẩy.")
	if err := ch.SetDropList(chans); err != nil {
		return err
	}
	for _, dv := range []*excelize.DataValidation{kind, ch} {
		if err := w.f.AddDataValidation(SheetName, dv); err != nil {
			return err
		}
	}
	return nil
}

// row writes one row of the table as text.
func (w *sheet) row(values [numCols]string, style int) error {
	for c, v := range values {
		name, _ := excelize.ColumnNumberToName(c + 1)
		cell := fmt.Sprintf("%s%d", name, w.next)
		if err := w.f.SetCellStr(SheetName, cell, v); err != nil {
			return err
		}
		if err := w.f.SetCellStyle(SheetName, cell, cell, style); err != nil {
			return err
		}
	}
	w.next++
	return nil
}

func (w *sheet) bytes() ([]byte, error) {
	defer w.f.Close()
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Template returns template.xlsx: the plan's sheet with Vietnamese headers,
// each column's note as a comment on its header, the lists of kinds and
// channels, a notes block, and an example row of each kind dated in the
// next Action Month (15/11–15/12), which an import skips.
func (s *Service) Template() ([]byte, error) {
	w, err := newSheet()
	if err != nil {
		return nil, err
	}
	for _, ex := range examples(s.now().In(s.loc)) {
		if err := w.row(ex, w.example); err != nil {
			return nil, err
		}
	}
	return w.bytes()
}

// examples are the template's example rows, one per kind.
func examples(now time.Time) [][numCols]string {
	y := now.Year()
	if now.Month() == time.December && now.Day() > 15 {
		y++
	}
	d := func(day, month int) string { return fmt.Sprintf("%02d/%02d/%d", day, month, y) }
	return [][numCols]string{
		{colKind: "Loa", colTitle: "Ví dụ: Thông điệp Tháng hành động vì bình đẳng giới",
			colBody:     "Kính thưa bà con! Hưởng ứng Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới…",
			colChannels: "Truyền thanh", colDate: d(15, 11), colTimes: "06:00, 17:30", colUntil: d(15, 12), colWeekdays: "T2, T4, T6",
			colStations: "Tất cả", colAudiences: "Người dân khu dân cư"},
		{colKind: "Bài đăng", colTitle: "Ví dụ: Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ",
			colBody:     "Ngày 25/11 là Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái…",
			colChannels: "Facebook, Zalo, Cổng thông tin", colDate: d(25, 11), colTimes: "08:00",
			colAudiences: "Thanh niên; Phụ nữ", colLink: "https://example.org/25-11"},
		{colKind: "Tờ rơi", colTitle: "Ví dụ: Tờ rơi Đường dây nóng 111",
			colBody:     "Khi bạn hoặc người thân bị bạo lực, hãy gọi 111 (miễn phí, 24/24).",
			colChannels: "Bản in, Facebook", colDate: d(20, 11), colTimes: "09:00", colAudiences: "Phụ nữ; Học sinh, sinh viên"},
		{colKind: "Sự kiện", colTitle: "Ví dụ: Tọa đàm «Gia đình không bạo lực»",
			colBody: "Tọa đàm với các chi hội phụ nữ và thanh niên của xã.", colChannels: "Sự kiện",
			colDate: d(27, 11), colTimes: "14:00", colAudiences: "Phụ nữ; Thanh niên", colPlace: "Hội trường Ủy ban nhân dân xã"},
	}
}
