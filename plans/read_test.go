package plans

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans/planstest"
)

// at is a local moment of the test's time zone.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hcm)
	if err != nil {
		panic(err)
	}
	return t
}

// imported imports file into a new campaign and returns its items by row.
func imported(t *testing.T, e *env, file []byte) (Report, map[int]campaigns.Item) {
	t.Helper()
	camp := e.campaign(t)
	r, err := e.svc.Import(e.ctx, e.editor, camp, file, "vi")
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, r)
	byID := map[string]campaigns.Item{}
	for _, it := range e.items(t, camp) {
		byID[it.ID] = it
	}
	out := map[int]campaigns.Item{}
	for _, it := range r.Items {
		got, ok := byID[it.ID]
		if !ok {
			t.Fatalf("row %d: item %q not stored", it.Row, it.ID)
		}
		out[it.Row] = got
	}
	if len(byID) != r.Created || r.Created != len(r.Items) {
		t.Fatalf("%d items stored, report says %d created of %d", len(byID), r.Created, len(r.Items))
	}
	return r, out
}

func wantAt(t *testing.T, it campaigns.Item, want string) {
	t.Helper()
	if it.Schedule.At == nil || !it.Schedule.At.Equal(at(want)) {
		t.Errorf("%q: schedule %+v, want one moment %s", it.Title, it.Schedule, want)
	}
}

// TestXLSXMergedHeadersSerialDatesNFD reads a plan as communes write it: a
// title merged over the table, a two-row header (a group "Thời gian" merged
// over Ngày, Giờ, Đến ngày, the other headers merged down), a kind merged
// over two rows, empty rows, dates as date cells (serial numbers) and as
// text, a time as a time cell, and Vietnamese typed in NFD.
func TestXLSXMergedHeadersSerialDatesNFD(t *testing.T) {
	t.Parallel()
	e := setup(t)
	top := row(map[col]any{colKind: "Loại", colTitle: "Tiêu đề", colBody: "Nội dung", colChannels: "Kênh", colDate: "Thời gian",
		colWeekdays: "Thứ", colStations: "Cụm loa", colAudiences: "Đối tượng", colLink: "Liên kết", colPlace: "Địa điểm"})
	sub := row(map[col]any{colDate: "Ngày", colTimes: "Giờ", colUntil: "Đến ngày"})
	nfd := norm.NFD.String
	rows := [][]any{
		{"KẾ HOẠCH TRUYỀN THÔNG THÁNG HÀNH ĐỘNG 2026"},
		top, sub, {},
		row(map[col]any{colKind: "loa", colTitle: "Phát thanh lần một", colBody: "Kính thưa bà con",
			colDate: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), colTimes: "06:30", colStations: "Cụm loa Thôn Đông"}),
		row(map[col]any{colTitle: nfd("Phát thanh lần hai"), colBody: nfd("Bình đẳng giới"), colDate: "26/11/2026",
			colTimes: 0.75, colStations: nfd("cụm loa thôn tây")}),
		{},
		row(map[col]any{colKind: nfd("Bài đăng"), colTitle: "Bài đăng", colBody: "Nội dung", colChannels: "Facebook",
			colDate: "1/12/2026", colTimes: "8:00", colAudiences: nfd("Phụ nữ")}),
	}
	file := planstest.XLSX(t, rows, func(f *excelize.File) {
		for _, m := range [][2]string{{"A1", "L1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "D3"}, {"E2", "G2"},
			{"H2", "H3"}, {"I2", "I3"}, {"J2", "J3"}, {"K2", "K3"}, {"L2", "L3"}, {"A5", "A6"}} {
			if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		hhmm := "hh:mm"
		style, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &hhmm})
		_ = f.SetCellStyle("Sheet1", "F6", "F6", style)
	})
	r, items := imported(t, e, file)
	if r.Rows != 3 || len(items) != 3 {
		t.Fatalf("rows %d, items %v", r.Rows, items)
	}
	wantAt(t, items[5], "2026-11-25 06:30")
	wantAt(t, items[6], "2026-11-26 18:00")
	wantAt(t, items[8], "2026-12-01 08:00")
	if it := items[6]; it.Kind != campaigns.KindScript || it.Title != "Phát thanh lần hai" || it.Body != "Bình đẳng giới" ||
		!slices.Equal(it.StationIDs, []string{e.st["Cụm loa Thôn Tây|Thôn Tây"]}) || !slices.Equal(it.Channels, []string{"loudspeaker"}) {
		t.Errorf("row 6 (kind merged from row 5, NFD text): %+v", it)
	}
	if it := items[8]; it.Kind != campaigns.KindPost || !slices.Equal(it.Audiences, []string{"women"}) {
		t.Errorf("row 8: %+v", it)
	}
}

// TestEnglishHeadersInAnyOrder reads English headers in another order, with
// English kinds and channel and audience codes, from a second sheet.
func TestEnglishHeadersInAnyOrder(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rows := [][]any{
		{"Title", "Time (HH:MM)", "Kind", "Date*", "Content", "Channels", "Audiences", "Place", "Until", "Weekdays", "Stations", "Link", "Notes"},
		{"Morning script", "06:00", "script", "20/11/2026", "Good morning", "loudspeaker", "youth; women", "", "", "", "Cụm 1 (Thôn Bắc)", "", "ignored"},
		{"A post", "09:15", "post", "21/11/2026", "Text", "facebook,zalo", "", "", "", "", "", "https://example.org/a", ""},
		{"A leaflet", "10:00", "leaflet", "22/11/2026", "Text", "print", "", "", "", "", "", "", ""},
		{"An event", "14:00", "event", "23/11/2026", "Text", "", "", "Hội trường xã", "", "", "", "", ""},
	}
	file := planstest.XLSX(t, nil, func(f *excelize.File) {
		_ = f.SetCellStr("Sheet1", "A1", "Cover page: nothing to import here")
		if _, err := f.NewSheet("Plan"); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Plan", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	})
	_, items := imported(t, e, file)
	want := map[int]struct {
		kind     string
		channels []string
	}{2: {"script", []string{"loudspeaker"}}, 3: {"post", []string{"facebook", "zalo"}}, 4: {"leaflet", []string{"print"}}, 5: {"event", []string{"event"}}}
	for r, w := range want {
		if it := items[r]; it.Kind != w.kind || !slices.Equal(it.Channels, w.channels) {
			t.Errorf("row %d: kind %s channels %v, want %s %v", r, it.Kind, it.Channels, w.kind, w.channels)
		}
	}
	if it := items[2]; !slices.Equal(it.Audiences, []string{"youth", "women"}) || !slices.Equal(it.StationIDs, []string{e.st["Cụm 1|Thôn Bắc"]}) {
		t.Errorf("row 2: audiences %v stations %v", it.Audiences, it.StationIDs)
	}
	if items[3].Link != "https://example.org/a" || items[5].Place != "Hội trường xã" {
		t.Errorf("link %q, place %q", items[3].Link, items[5].Place)
	}
}

// TestCSVSemicolonBOM reads CSV as Excel writes it in a Vietnamese locale:
// a byte order mark, semicolons, quoted cells holding line breaks, and a
// blank line; row numbers in errors are the spreadsheet's.
func TestCSVSemicolonBOM(t *testing.T) {
	t.Parallel()
	e := setup(t)
	hdr := make([]string, numCols)
	for c := range numCols {
		hdr[c] = columns[c].vi
	}
	cells := func(m map[col]string) []string {
		out := make([]string, numCols)
		for c, v := range m {
			out[c] = v
		}
		return out
	}
	post := cells(map[col]string{colKind: "Bài đăng", colTitle: "Hai dòng", colBody: "Dòng một\nDòng hai", colChannels: "Facebook, Zalo",
		colDate: "20/11/2026", colTimes: "07:00", colAudiences: "Học sinh, sinh viên; Người dân khu dân cư"})
	script := cells(map[col]string{colKind: "Loa", colTitle: "Loa", colBody: "Kính thưa", colDate: "20/11/2026", colTimes: "6h30", colStations: "Tất cả"})
	text := "\xEF\xBB\xBF" + csvOf(";", hdr, post) + "\r\n" + csvOf(";", script)
	r := check(t, e, e.campID, []byte(text), "vi")
	hasError(t, r, "Dòng 4, cột Giờ: '6h30' không phải giờ hợp lệ, hãy viết 06:30")
	if len(r.Errors) != 1 || r.Rows != 2 || len(r.Items) != 1 || r.Items[0].Row != 2 {
		t.Fatalf("report %+v", r)
	}
	en := check(t, e, e.campID, []byte(text), "en")
	hasError(t, en, "Row 4, column Giờ (Time): '6h30' is not a valid time; write 06:30")

	fixed := strings.Replace(text, "6h30", "06:30", 1)
	rep, items := imported(t, e, []byte(fixed))
	if rep.Rows != 2 || items[2].Body != "Dòng một\nDòng hai" || !slices.Equal(items[2].Audiences, []string{"students", "residents"}) ||
		!slices.Equal(items[2].Channels, []string{"facebook", "zalo"}) || len(items[4].StationIDs) != 4 {
		t.Fatalf("items %+v", items)
	}
	// The same with commas, no byte order mark, and Excel's "sep=" line.
	comma := csvOf(",", hdr, post, script)
	for _, f := range []string{comma, "sep=,\r\n" + comma} {
		r := check(t, e, e.campID, []byte(f), "vi")
		hasError(t, r, "Dòng 3, cột Giờ: '6h30' không phải giờ hợp lệ, hãy viết 06:30")
	}
}

// TestEveryKindAndChannel reads each kind and channel in its Vietnamese
// words, codes and full names, stations by name and audiences by name.
func TestEveryKindAndChannel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		kind, channels string
		wantKind       string
		want           []string
	}{
		{"Loa", "", "script", []string{"loudspeaker"}},
		{"bài phát thanh", "Truyền thanh cơ sở", "script", []string{"loudspeaker"}},
		{"Bài đăng", "Facebook, Zalo, Cổng thông tin", "post", []string{"facebook", "zalo", "portal"}},
		{"BÀI ĐĂNG", "Trang Thông tin điện tử xã; zalo oa", "post", []string{"portal", "zalo"}},
		{"Tờ rơi", "Bản in, Facebook, Zalo, Cổng thông tin", "leaflet", []string{"print", "facebook", "zalo", "portal"}},
		{"to roi", "Tờ rơi, áp phích, pa nô, băng rôn, sổ tay", "leaflet", []string{"print"}},
		{"Sự kiện", "", "event", []string{"event"}},
		{"Hội nghị", "Hội nghị, hội thi, tọa đàm", "event", []string{"event"}},
	}
	rows := [][]any{headerRow()}
	for i, c := range cases {
		cells := map[col]any{colKind: c.kind, colTitle: "Nội dung " + c.kind + " " + string(rune('A'+i)), colBody: "Văn bản",
			colChannels: c.channels, colDate: "24/11/2026", colTimes: "10:00"}
		switch c.wantKind {
		case "script":
			cells[colStations] = "Cụm loa Thôn Đông, cum 1 (thon nam)"
		case "event":
			cells[colPlace] = "Nhà văn hóa thôn Đông"
		}
		rows = append(rows, row(cells))
	}
	_, items := imported(t, e, planstest.XLSX(t, rows, nil))
	for i, c := range cases {
		it := items[i+2]
		if it.Kind != c.wantKind || !slices.Equal(it.Channels, c.want) {
			t.Errorf("%q %q: kind %s channels %v, want %s %v", c.kind, c.channels, it.Kind, it.Channels, c.wantKind, c.want)
		}
		if c.wantKind == "script" && !slices.Equal(it.StationIDs, []string{e.st["Cụm loa Thôn Đông|Thôn Đông"], e.st["Cụm 1|Thôn Nam"]}) {
			t.Errorf("%q: stations %v", c.kind, it.StationIDs)
		}
	}
}

// TestRecurrences: one moment for a date and one time; a recurrence for
// several times, an end date or weekdays, with the occurrences counted.
func TestRecurrences(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		date, times, until, weekdays string
		want                         campaigns.Schedule
		occurrences                  int
	}{
		{"16/11/2026", "06:00", "", "", campaigns.Schedule{}, 1},
		{"16/11/2026", "06:00, 17:30", "", "", campaigns.Schedule{Times: []string{"06:00", "17:30"}, From: "2026-11-16", To: "2026-11-16"}, 2},
		{"16/11/2026", "06:00", "22/11/2026", "", campaigns.Schedule{Times: []string{"06:00"}, From: "2026-11-16", To: "2026-11-22"}, 7},
		{"16/11/2026", "06:00;17:30", "29/11/2026", "T2-T6", campaigns.Schedule{Times: []string{"06:00", "17:30"}, From: "2026-11-16", To: "2026-11-29", Weekdays: []int{1, 2, 3, 4, 5}}, 20},
		{"16/11/2026", "06:00", "29/11/2026", "Thứ hai, thứ tư và chủ nhật", campaigns.Schedule{Times: []string{"06:00"}, From: "2026-11-16", To: "2026-11-29", Weekdays: []int{1, 3, 7}}, 6},
		{"16/11/2026", "06:00", "", "T2", campaigns.Schedule{Times: []string{"06:00"}, From: "2026-11-16", To: "2026-11-16", Weekdays: []int{1}}, 1},
		{"2026-11-21", "19:00 20:00", "22/11/2026", "T7 CN", campaigns.Schedule{Times: []string{"19:00", "20:00"}, From: "2026-11-21", To: "2026-11-22", Weekdays: []int{6, 7}}, 4},
	}
	rows := [][]any{headerRow()}
	for i, c := range cases {
		rows = append(rows, row(map[col]any{colKind: "Loa", colTitle: "Lịch " + string(rune('A'+i)), colBody: "Văn bản", colDate: c.date,
			colTimes: c.times, colUntil: c.until, colWeekdays: c.weekdays, colStations: "Cụm loa Thôn Tây"}))
	}
	r, items := imported(t, e, planstest.XLSX(t, rows, nil))
	for i, c := range cases {
		it := items[i+2]
		if c.want.From == "" {
			wantAt(t, it, "2026-11-16 06:00")
		} else if it.Schedule.At != nil || !slices.Equal(it.Schedule.Times, c.want.Times) || it.Schedule.From != c.want.From ||
			it.Schedule.To != c.want.To || !slices.Equal(it.Schedule.Weekdays, c.want.Weekdays) {
			t.Errorf("row %d: schedule %+v, want %+v", i+2, it.Schedule, c.want)
		}
		if got := r.Items[i].Occurrences; got != c.occurrences {
			t.Errorf("row %d: %d occurrences, want %d", i+2, got, c.occurrences)
		}
	}
}

// TestDate1904 reads a serial date of a workbook on the 1904 date system
// (older spreadsheets from Macs).
func TestDate1904(t *testing.T) {
	t.Parallel()
	e := setup(t)
	yes := true
	file := planstest.XLSX(t, [][]any{headerRow(), row(map[col]any{colKind: "Bài đăng", colTitle: "Mac", colBody: "Văn bản", colChannels: "Zalo",
		colDate: 44889, colTimes: "08:00"})}, func(f *excelize.File) {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	})
	_, items := imported(t, e, file)
	wantAt(t, items[2], "2026-11-25 08:00")
}
