package plans

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans/planstest"
)

// bigPlan is a month of a commune's plan: n rows of every kind, scripts
// repeating on weekdays on named stations, posts with links, leaflets,
// events with places. Row bad (a spreadsheet row number, 0 for none) has a
// time written as 6h30.
func bigPlan(n, bad int) [][]any {
	rows := [][]any{headerRow()}
	for i := range n {
		day := time.Date(2026, 11, 15+i%31, 0, 0, 0, 0, time.UTC)
		cells := map[col]any{colTitle: fmt.Sprintf("Tin số %d", i+1), colBody: fmt.Sprintf("Nội dung tin số %d về bình đẳng giới.", i+1),
			colDate: day.Format(dayLayout), colTimes: fmt.Sprintf("%02d:%02d", 6+i%12, i%60)}
		switch i % 4 {
		case 0:
			cells[colKind], cells[colStations], cells[colAudiences] = "Loa", "Cụm loa Thôn Đông, Cụm 1 (Thôn Nam)", "Người dân khu dân cư"
			cells[colTimes], cells[colUntil], cells[colWeekdays] = "06:00, 17:30", "15/12/2026", "T2-T6"
			cells[colDate] = "15/11/2026"
		case 1:
			cells[colKind], cells[colChannels], cells[colLink] = "Bài đăng", "Facebook, Zalo", "https://example.org/tin"
			cells[colAudiences] = "Thanh niên; Học sinh, sinh viên"
		case 2:
			cells[colKind], cells[colChannels] = "Tờ rơi", "Bản in, Cổng thông tin"
		case 3:
			cells[colKind], cells[colPlace] = "Sự kiện", "Nhà văn hóa thôn Đông"
		}
		if i+2 == bad {
			cells[colTimes] = "6h30"
		}
		rows = append(rows, row(cells))
	}
	return rows
}

// TestImportAllOrNothing: an error in row 1,999 of 2,000 creates nothing
// on a real run; the fixed file creates all 2,000 drafts; importing it
// again creates nothing twice.
func TestImportAllOrNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	r, err := e.svc.Import(e.ctx, e.editor, e.campID, planstest.XLSX(t, bigPlan(MaxRows, 1999), nil), "vi")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 1 || r.Errors[0].Row != 1999 || r.Errors[0].Column != "Giờ" || r.Created != 0 || r.Rows != MaxRows {
		t.Fatalf("errors %+v, created %d, rows %d", r.Errors, r.Created, r.Rows)
	}
	if n := len(e.items(t, e.campID)); n != 0 {
		t.Fatalf("%d items created from a file with an error", n)
	}
	good := planstest.XLSX(t, bigPlan(MaxRows, 0), nil)
	r, err = e.svc.Import(e.ctx, e.editor, e.campID, good, "vi")
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, r)
	if r.Created != MaxRows || r.Skipped != 0 || len(r.Items) != MaxRows || r.Items[0].ID == "" || r.Items[0].Occurrences != 44 {
		t.Fatalf("created %d skipped %d, first item %+v", r.Created, r.Skipped, r.Items[0])
	}
	if n := len(e.items(t, e.campID)); n != MaxRows {
		t.Fatalf("%d items stored", n)
	}
	again, err := e.svc.Import(e.ctx, e.editor, e.campID, good, "vi")
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, again)
	if again.Created != 0 || again.Skipped != MaxRows || !again.Items[0].Existing || again.Items[0].ID != "" {
		t.Fatalf("again: created %d skipped %d", again.Created, again.Skipped)
	}
	if n := len(e.items(t, e.campID)); n != MaxRows {
		t.Fatalf("%d items after importing twice", n)
	}
}

// TestRoundTrip: plan.xlsx of a campaign whose items were typed in the
// editor imports into an empty campaign as the same items, and into the
// same campaign as nothing new.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	e := setup(t)
	s := func(v string) *string { return &v }
	at := time.Date(2026, 11, 25, 7, 30, 0, 0, hcm)
	inputs := []campaigns.ItemInput{
		{Kind: s("script"), Title: s("Phát thanh 25/11"), Body: s("Kính thưa bà con,\nhôm nay là 25/11."), Channels: &[]string{"loudspeaker"},
			StationIDs: &[]string{e.st["Cụm 1|Thôn Nam"], e.st["Cụm loa Thôn Đông|Thôn Đông"]}, Audiences: &[]string{"residents", "men"},
			Schedule: &campaigns.Schedule{Times: []string{"17:30", "06:00"}, From: "2026-11-16", To: "2026-12-10", Weekdays: []int{5, 1, 3}}},
		{Kind: s("script"), Title: s("Một ngày"), Body: s("Một buổi"), Channels: &[]string{"loudspeaker"},
			StationIDs: &[]string{e.st["Cụm 1|Thôn Bắc"]}, Schedule: &campaigns.Schedule{Times: []string{"06:00"}, From: "2026-11-20", To: "2026-11-20"}},
		{Kind: s("post"), Title: s("=1+1 không phải công thức"), Body: s("Bài đăng"), Channels: &[]string{"zalo", "portal", "facebook"},
			Audiences: &[]string{"students", "employers", "forced-marriage-risk"}, Link: s("https://example.org/bai?a=1&b=2"), Schedule: &campaigns.Schedule{At: &at}},
		{Kind: s("leaflet"), Title: s("Tờ rơi"), Body: s("Gọi 111"), Channels: &[]string{"print", "facebook"}, Schedule: &campaigns.Schedule{At: &at}},
		{Kind: s("event"), Title: s("Tọa đàm"), Body: s("Tọa đàm"), Channels: &[]string{"event"}, Place: s("Hội trường, UBND xã"), Schedule: &campaigns.Schedule{At: &at}},
	}
	for _, in := range inputs {
		in.CampaignID = &e.campID
		if _, err := e.camps.CreateItem(e.ctx, e.editor, in); err != nil {
			t.Fatal(err)
		}
	}
	file, err := e.svc.Export(e.ctx, e.campID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(strings.NewReader(string(file)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := x.GetRows(SheetName); len(got) < 1+len(inputs) || got[0][0] != "Loại" || got[2][colTitle] != "Một ngày" {
		t.Fatalf("plan.xlsx rows: %q", got)
	}
	_ = x.Close()

	empty := e.campaign(t)
	r, err := e.svc.Import(e.ctx, e.editor, empty, file, "vi")
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, r)
	keys := func(camp string) []string {
		var out []string
		for _, it := range e.items(t, camp) {
			out = append(out, campaigns.PlanKey(it))
		}
		slices.Sort(out)
		return out
	}
	if a, b := keys(e.campID), keys(empty); r.Created != len(inputs) || !slices.Equal(a, b) {
		t.Fatalf("round trip: %d created; the items differ:\n%v\n%v", r.Created, e.items(t, e.campID), e.items(t, empty))
	}
	// Orders are kept too, not only the sets the key compares.
	orig, back := e.items(t, e.campID), e.items(t, empty)
	for i := range orig {
		o, b := orig[i], back[i]
		if !slices.Equal(o.Channels, b.Channels) || !slices.Equal(o.StationIDs, b.StationIDs) || !slices.Equal(o.Audiences, b.Audiences) ||
			!slices.Equal(o.Schedule.Times, b.Schedule.Times) || !slices.Equal(o.Schedule.Weekdays, b.Schedule.Weekdays) {
			t.Errorf("item %q: order changed: %+v vs %+v", o.Title, o, b)
		}
	}
	same, err := e.svc.Import(e.ctx, e.editor, e.campID, file, "vi")
	if err != nil || same.Created != 0 || same.Skipped != len(inputs) {
		t.Fatalf("import into the same campaign: %+v, %v", same, err)
	}
}

// TestTemplate: one sheet with the headers, a note on each, lists of kinds
// and channels, and an example row of each kind, which an import skips;
// without their "Ví dụ:" the examples import as one item of each kind.
func TestTemplate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	file, err := e.svc.Template()
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(strings.NewReader(string(file)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{SheetName}) {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := x.GetRows(SheetName)
	for c := range numCols {
		if rows[0][c] != columns[c].vi {
			t.Errorf("header %d: %q", c, rows[0][c])
		}
	}
	comments, _ := x.GetComments(SheetName)
	dvs, _ := x.GetDataValidations(SheetName)
	if len(comments) != int(numCols) || len(dvs) != 2 {
		t.Errorf("%d comments, %d lists", len(comments), len(dvs))
	}
	r := check(t, e, e.campID, file, "vi")
	hasError(t, r, "Dòng 1: không có dòng dữ liệu nào dưới dòng tiêu đề")
	for i := 2; i <= 5; i++ {
		cell := fmt.Sprintf("B%d", i)
		title, _ := x.GetCellValue(SheetName, cell)
		_ = x.SetCellStr(SheetName, cell, strings.TrimPrefix(title, "Ví dụ: "))
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	r = check(t, e, e.campID, buf.Bytes(), "vi")
	noErrors(t, r)
	var kinds []string
	for _, it := range r.Items {
		kinds = append(kinds, it.Kind)
	}
	if !slices.Equal(kinds, []string{"script", "post", "leaflet", "event"}) || r.Created != 4 || r.Items[0].Occurrences != 26 {
		t.Fatalf("examples: %+v", r.Items)
	}
}
