package reach

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/usertext"
)

// Sheet names of the annual report workbook.
const (
	SheetSummary    = "Tổng hợp"
	SheetActivities = "Hoạt động"
	SheetStations   = "Truyền thanh"
	SheetVillages   = "Thôn, xóm"
)

// workbook writes tables row by row on its sheets.
type workbook struct {
	f                            *excelize.File
	sheet                        string
	row                          int
	bold, header, title, pct, nb int
	err                          error
}

func newWorkbook(first string) (*workbook, error) {
	f := excelize.NewFile()
	w := &workbook{f: f}
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return nil, err
	}
	w.sheet, w.row = first, 1
	pctFmt, numFmt := "0.0", "#,##0"
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	for _, st := range []struct {
		id *int
		s  *excelize.Style
	}{
		{&w.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&w.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&w.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&w.pct, &excelize.Style{CustomNumFmt: &pctFmt, Border: border}},
		{&w.nb, &excelize.Style{CustomNumFmt: &numFmt, Border: border}},
	} {
		id, err := f.NewStyle(st.s)
		if err != nil {
			return nil, err
		}
		*st.id = id
	}
	return w, nil
}

// newSheet starts a sheet; later rows go there.
func (w *workbook) newSheet(name string) {
	if w.err == nil {
		_, w.err = w.f.NewSheet(name)
	}
	w.sheet, w.row = name, 1
}

func (w *workbook) cell(col int) string {
	c, _ := excelize.CoordinatesToCellName(col, w.row)
	return c
}

// set writes one cell. Text is always a string cell (SetCellStr: never
// a formula, whatever it begins with; a spreadsheet shows "=HYPERLINK(…)"
// as those characters), without control characters (usertext.Strip, for
// text stored before the text rule); numbers are numbers.
func (w *workbook) set(col int, v any, style int) {
	if w.err != nil {
		return
	}
	c := w.cell(col)
	if s, ok := v.(string); ok {
		w.err = w.f.SetCellStr(w.sheet, c, usertext.Strip(s))
	} else {
		w.err = w.f.SetCellValue(w.sheet, c, v)
	}
	if w.err == nil && style != 0 {
		w.err = w.f.SetCellStyle(w.sheet, c, c, style)
	}
}

// line writes one text line in a style and moves down.
func (w *workbook) line(text string, style int) {
	w.set(1, text, style)
	w.row++
}

// headerRow writes column titles and moves down.
func (w *workbook) headerRow(cols ...string) {
	for i, c := range cols {
		w.set(i+1, c, w.header)
	}
	w.row++
}

// dataRow writes values (strings, integers; a float is a percentage) and
// moves down.
func (w *workbook) dataRow(values ...any) {
	for i, v := range values {
		style := w.nb
		if _, ok := v.(float64); ok {
			style = w.pct
		}
		w.set(i+1, v, style)
	}
	w.row++
}

func (w *workbook) widths(widths ...float64) {
	for i, wd := range widths {
		if w.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.err = w.f.SetColWidth(w.sheet, col, col, wd)
	}
}

func (w *workbook) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	w.f.SetActiveSheet(0)
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// target is a target cell: empty when the channel has none.
func target(c ChannelResult) any {
	if !c.HasTarget {
		return ""
	}
	return c.Target
}

func pctCell(c ChannelResult) any {
	if c.Target <= 0 {
		return ""
	}
	return c.Percent
}

// XLSX writes the report as a workbook of four sheets: the summary per
// channel and campaign against targets, the activities with their delivery
// outcomes, the loudspeaker stations, and coverage by village.
func (r *AnnualReport) XLSX() ([]byte, error) {
	w, err := newWorkbook(SheetSummary)
	if err != nil {
		return nil, err
	}
	r.xlsxSummary(w)
	r.xlsxActivities(w)
	r.xlsxStations(w)
	r.xlsxVillages(w)
	return w.bytes()
}

func (r *AnnualReport) xlsxSummary(w *workbook) {
	w.line(fmt.Sprintf("BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHÒNG NGỪA VÀ ỨNG PHÓ VỚI BẠO LỰC TRÊN CƠ SỞ GIỚI NĂM %d", r.Year), w.title)
	w.line(strings.ToUpper(r.CommuneName)+" — lập ngày "+r.Generated.Format("02/01/2006"), w.bold)
	w.row++
	w.line("1. Kết quả năm theo kênh, so với chỉ tiêu", w.bold)
	w.headerRow("Kênh", "Chỉ số chính", "Kết quả", "Chỉ tiêu", "Tỷ lệ đạt (%)")
	for _, c := range r.Channels {
		w.dataRow(ChannelName(c.Channel), MetricName(c.Metric), c.Value, target(c), pctCell(c))
	}
	w.row++
	w.line("2. Kết quả theo chiến dịch và kênh, so với chỉ tiêu", w.bold)
	w.headerRow("Chiến dịch", "Từ ngày", "Đến ngày", "Kênh", "Chỉ số chính", "Kết quả", "Chỉ tiêu", "Tỷ lệ đạt (%)")
	for _, cp := range r.Campaigns {
		if len(cp.Channels) == 0 {
			w.dataRow(cp.Title, vnDay(cp.Start), vnDay(cp.End), "", "", "", "", "")
		}
		for _, c := range cp.Channels {
			w.dataRow(cp.Title, vnDay(cp.Start), vnDay(cp.End), ChannelName(c.Channel), MetricName(c.Metric), c.Value, target(c), pctCell(c))
		}
	}
	w.row++
	w.line("3. Các chỉ số của năm theo kênh", w.bold)
	w.headerRow("Kênh", "Chỉ số", "Giá trị")
	for _, c := range r.Channels {
		for _, m := range sortedMetrics(c.Metrics) {
			w.dataRow(ChannelName(c.Channel), MetricName(m), c.Metrics[m])
		}
	}
	w.row++
	for _, n := range r.Notes {
		w.line("Ghi chú: "+n, 0)
	}
	w.widths(46, 22, 22, 26, 26, 14, 14, 14)
}

func (r *AnnualReport) xlsxActivities(w *workbook) {
	w.newSheet(SheetActivities)
	cols := []string{"Chiến dịch", "Hoạt động", "Loại", "Kênh"}
	for _, o := range OutcomeStates {
		cols = append(cols, OutcomeName(o))
	}
	w.headerRow(append(cols, "Tổng số lượt", "Kết quả", "Chỉ số")...)
	for _, a := range r.Activities {
		vals := []any{a.CampaignTitle, a.Title, KindName(a.Kind), ChannelName(a.Channel)}
		var total int64
		for _, o := range OutcomeStates {
			vals = append(vals, a.Counts[o])
			total += a.Counts[o]
		}
		w.dataRow(append(vals, total, a.Reach, MetricName(a.ReachMetric))...)
	}
	w.widths(40, 46, 18, 24, 13, 11, 14, 9, 10, 12, 12, 24)
}

func (r *AnnualReport) xlsxStations(w *workbook) {
	w.newSheet(SheetStations)
	w.headerRow("Cụm loa", "Thôn, xóm", "Số hộ", "Lượt phát", "Báo không phát", "Bỏ lỡ (không xác nhận)", "Lượt hộ nghe (số hộ × lượt phát)")
	var aired, listeners int64
	for _, s := range r.Stations {
		w.dataRow(s.Name, s.Village, int64(s.Households), s.Aired, s.Skipped, s.Missed, s.Listeners)
		aired, listeners = aired+s.Aired, listeners+s.Listeners
	}
	w.dataRow("Tổng cộng", "", "", aired, "", "", listeners)
	w.widths(30, 22, 10, 12, 16, 22, 30)
}

func (r *AnnualReport) xlsxVillages(w *workbook) {
	w.newSheet(SheetVillages)
	w.headerRow("Thôn, xóm", "Số hộ (cụm loa)", "Lượt phát", "Lượt hộ nghe", "Số bản phát hành", "Lượt người tham dự", "Lượt quét mã QR", "Đã được phủ sóng")
	for _, v := range r.Villages {
		covered := "Chưa"
		if v.Covered {
			covered = "Có"
		}
		w.dataRow(v.Village, int64(v.Households), v.Airings, v.Listeners, v.Metrics["copies"], v.Metrics["attendance"], v.Metrics["scans"], covered)
	}
	w.widths(24, 16, 12, 14, 16, 18, 16, 16)
}

// vnDay turns YYYY-MM-DD into DD/MM/YYYY.
func vnDay(day string) string {
	if !validDay(day) {
		return day
	}
	return day[8:] + "/" + day[5:7] + "/" + day[:4]
}

// sortedMetrics lists a channel's metrics in the order of Metrics, labels included.
func sortedMetrics(m map[string]int64) []string {
	order := func(k string) int {
		if k == "reach_sum" {
			k = "reach"
		}
		return slices.Index(Metrics, k)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return order(a) - order(b) })
	return keys
}
