package reach

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/lantoa/lantoa/usertext"
)

// CSVHeader is the header row of the report's CSV.
var CSVHeader = []string{"Phần", "Chiến dịch", "Hoạt động / đơn vị", "Kênh", "Chỉ số", "Giá trị", "Chỉ tiêu",
	"Tỷ lệ đạt (%)", "Mã kênh", "Mã chỉ số"}

// utf8BOM makes Excel read the file as UTF-8, keeping the diacritics.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CSV writes the report as one table, one figure a row (easy to filter and
// pivot): the year per channel and metric, the campaigns against their
// targets, the activities' delivery outcomes and reach, the stations and
// the villages. UTF-8 with a byte order mark, comma-separated, every cell
// quoted; text that a spreadsheet would run as a formula is neutralised
// (csvText).
func (r *AnnualReport) CSV() ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(utf8BOM)
	rows := [][]string{CSVHeader}
	year := "Năm " + strconv.Itoa(r.Year)
	for _, c := range r.Channels {
		for _, m := range sortedMetrics(c.Metrics) {
			row := []string{year, "", r.CommuneName, ChannelName(c.Channel), MetricName(m), itoa(c.Metrics[m]), "", "", c.Channel, m}
			if m == c.Metric {
				row[6], row[7] = targetText(c), pctText(c)
			}
			rows = append(rows, row)
		}
	}
	for _, cp := range r.Campaigns {
		for _, c := range cp.Channels {
			rows = append(rows, []string{"Chiến dịch", cp.Title, vnDay(cp.Start) + " – " + vnDay(cp.End), ChannelName(c.Channel),
				MetricName(c.Metric), itoa(c.Value), targetText(c), pctText(c), c.Channel, c.Metric})
		}
	}
	for _, a := range r.Activities {
		for _, o := range OutcomeStates {
			rows = append(rows, []string{"Hoạt động", a.CampaignTitle, a.Title, ChannelName(a.Channel), OutcomeName(o),
				itoa(a.Counts[o]), "", "", a.Channel, "deliveries_" + o})
		}
		rows = append(rows, []string{"Hoạt động", a.CampaignTitle, a.Title, ChannelName(a.Channel), MetricName(a.ReachMetric),
			itoa(a.Reach), "", "", a.Channel, a.ReachMetric})
	}
	rows = append(rows, r.csvStationsAndVillages()...)
	for _, row := range rows {
		writeCSVRow(&buf, row, csvFigures)
	}
	return buf.Bytes(), nil
}

// csvFigures are the columns of the report's CSV that hold figures the
// report formats itself (value, target, percentage): the only cells not
// treated as text, so that a negative figure stays a number.
var csvFigures = []int{5, 6, 7}

// writeCSVRow writes one RFC 4180 record: every cell quoted (quotes
// doubled), CRLF at the end; the cells not listed in figures pass csvText.
func writeCSVRow(b *bytes.Buffer, row []string, figures []int) {
	for i, cell := range row {
		if i > 0 {
			b.WriteByte(',')
		}
		if !slices.Contains(figures, i) {
			cell = csvText(cell)
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString("\r\n")
}

// csvText makes a text cell safe to open in a spreadsheet, as OWASP's CSV
// injection guidance says: a cell beginning with =, +, -, @, tab or CR
// would be evaluated as a formula by Excel, LibreOffice or Google Sheets
// (=HYPERLINK, DDE), so it gets a leading single quote, which makes the
// cell text; the caller quotes every cell. Control characters other than
// line breaks and tabs are removed (usertext.Strip), for text stored before
// the text rule.
func csvText(s string) string {
	s = usertext.Strip(s)
	// Leading spaces are skipped: some spreadsheets trim them on import.
	if t := strings.TrimLeft(s, " "); t != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
		return "'" + s
	}
	return s
}

func (r *AnnualReport) csvStationsAndVillages() [][]string {
	var rows [][]string
	ls := ChannelName("loudspeaker")
	for _, s := range r.Stations {
		unit := s.Name
		if s.Village != "" {
			unit += " (" + s.Village + ")"
		}
		for _, f := range []struct {
			name, code string
			v          int64
		}{{"Lượt phát", "airings", s.Aired}, {OutcomeName(OutcomeSkipped), "deliveries_skipped", s.Skipped},
			{OutcomeName(OutcomeMissed), "deliveries_missed", s.Missed}, {"Lượt hộ nghe", "listeners", s.Listeners}} {
			rows = append(rows, []string{"Truyền thanh", "", unit, ls, f.name, itoa(f.v), "", "", "loudspeaker", f.code})
		}
	}
	for _, v := range r.Villages {
		rows = append(rows, []string{"Thôn, xóm", "", v.Village, "", "Số hộ (cụm loa)", strconv.Itoa(v.Households), "", "", "", "households"})
		for _, m := range sortedMetrics(v.Metrics) {
			rows = append(rows, []string{"Thôn, xóm", "", v.Village, "", MetricName(m), itoa(v.Metrics[m]), "", "", "", m})
		}
	}
	return rows
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func targetText(c ChannelResult) string {
	if !c.HasTarget {
		return ""
	}
	return itoa(c.Target)
}

func pctText(c ChannelResult) string {
	if c.Target <= 0 {
		return ""
	}
	return strconv.FormatFloat(c.Percent, 'f', 1, 64)
}
