package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stations"
)

// reportFixture is a commune's year with a station per village, targets, a
// post sent by the dispatcher, airings, skipped slots and manual entries.
type reportFixture struct {
	e        *apptest.Env
	mgr      string
	postID   string
	stations []stations.Station
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	e := apptest.New(t)
	f := &reportFixture{e: e, mgr: e.User(accounts.RoleManager, "lien-minh")}
	admin, ed := e.Admin(), e.User(accounts.RoleEditor, "lien-minh")
	for _, st := range []map[string]any{{"name": "Cụm loa Đình làng", "village": "Thôn Đông", "households": 120},
		{"name": "Cụm loa Nhà văn hóa", "village": "Xóm Đình", "households": 80}} {
		var s stations.Station
		e.Do("POST", "/api/v1/stations", admin, st).Want(201).JSON(&s)
		f.stations = append(f.stations, s)
	}
	e.Do("PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin, map[string]any{
		"targets": map[string]int{"loudspeaker": 1000, "print": 500, "facebook": 300}}).Want(200)
	at := e.Clock.Now().Add(time.Hour)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{
		"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Chung tay chấm dứt bạo lực giới",
		"body": "Gọi 111 khi thấy trẻ em bị bạo lực.", "audiences": []string{"residents"},
		"channels": []string{"facebook"}, "schedule": map[string]any{"at": at.Format(time.RFC3339)},
	}).Want(201).JSON(&it)
	f.postID = it.ID
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", f.mgr, nil).Want(200)
	e.Clock.Advance(61 * time.Minute)
	ctx := apptest.Scoped("lien-minh")
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	if err := e.App.Deliveries.Retell(ctx); err != nil { // the clock's half-hourly job
		t.Fatal(err)
	}
	f.airings(t)
	for _, m := range []map[string]any{
		{"channel": "print", "metric": "copies", "value": 300, "village": "Thôn Đông"},
		{"channel": "print", "metric": "copies", "value": 150, "village": "Xóm Đình"},
		{"channel": "event", "metric": "attendance", "value": 85, "village": "Thôn Đông"},
	} {
		m["campaign_id"], m["date"] = "lien-minh-gbv-month-2026", "2026-11-19"
		e.Do("POST", "/api/v1/reach", f.mgr, m).Want(201)
	}
	return f
}

// airings records what the rundown service records for confirmed airings
// (reach events with the station's village) and the slots' outcomes, one
// slot of Xóm Đình reported skipped.
func (f *reportFixture) airings(t *testing.T) {
	t.Helper()
	ctx := apptest.Scoped("lien-minh")
	var outs []reach.DeliveryOutcome
	for i := range 6 {
		st := f.stations[i%2]
		id := fmt.Sprintf("slot-%d", i)
		day := fmt.Sprintf("2026-11-%02d", 16+i)
		state, skipped := "sent", false
		if i == 5 {
			state, skipped = "missed", true
		}
		outs = append(outs, reach.DeliveryOutcome{ID: id, ItemID: "script-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "script",
			Title: "Bài phát thanh: Nói không với bạo lực", Channel: "loudspeaker", StationID: st.ID, Day: day, State: state, Skipped: skipped})
		if skipped {
			continue
		}
		base := reach.Event{CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026", ItemID: "script-1", Channel: "loudspeaker",
			Village: st.Village, Day: day, Source: reach.SourceAiring}
		a, l := base, base
		a.ID, a.Metric, a.Value = "airing|"+id+"|airings", "airings", 1
		l.ID, l.Metric, l.Value = "airing|"+id+"|listeners", "listeners", int64(st.Households)
		if _, err := f.e.App.Reach.Record(ctx, a, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.e.App.Reach.RecordOutcomes(ctx, outs); err != nil {
		t.Fatal(err)
	}
}

func (f *reportFixture) download(t *testing.T, format string) []byte {
	t.Helper()
	res := f.e.Do("GET", "/api/v1/reports/annual?year=2026&format="+format, f.mgr, nil).Want(200)
	want := `attachment; filename="bao-cao-lien-minh-2026.` + format + `"`
	if cd := res.Header.Get("Content-Disposition"); cd != want {
		t.Fatalf("Content-Disposition %q, want %q", cd, want)
	}
	return res.Body
}

func TestAnnualReportXLSX(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	x, err := excelize.OpenReader(bytes.NewReader(f.download(t, "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	if got := x.GetSheetList(); !slices.Equal(got, []string{reach.SheetSummary, reach.SheetActivities, reach.SheetStations, reach.SheetVillages}) {
		t.Fatalf("sheets %v", got)
	}
	summary := rowsOf(t, x, reach.SheetSummary)
	wantRow(t, summary, "Truyền thanh cơ sở", "Lượt hộ nghe", "520", "1000", "52")
	wantRow(t, summary, "Tờ rơi, áp phích, pa nô, băng rôn, sổ tay", "Số bản phát hành", "450", "500", "90")
	wantRow(t, summary, "Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới năm 2026", "15/11/2026", "15/12/2026",
		"Truyền thanh cơ sở", "Lượt hộ nghe", "520", "1000", "52")
	if !strings.HasPrefix(summary[0][0], "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHÒNG NGỪA VÀ ỨNG PHÓ VỚI BẠO LỰC TRÊN CƠ SỞ GIỚI NĂM 2026") {
		t.Errorf("title %q", summary[0][0])
	}
	activities := rowsOf(t, x, reach.SheetActivities)
	wantRow(t, activities, "Chung tay chấm dứt bạo lực giới", "Tin, bài đăng", "Trang Facebook", "1", "0", "0", "0", "0", "1")
	wantRow(t, activities, "Bài phát thanh: Nói không với bạo lực", "Tin, bài phát thanh", "Truyền thanh cơ sở", "5", "0", "1", "0", "0", "6", "520")
	stationsSheet := rowsOf(t, x, reach.SheetStations)
	wantRow(t, stationsSheet, "Cụm loa Đình làng", "Thôn Đông", "120", "3", "0", "0", "360")
	wantRow(t, stationsSheet, "Cụm loa Nhà văn hóa", "Xóm Đình", "80", "2", "1", "0", "160")
	villages := rowsOf(t, x, reach.SheetVillages)
	wantRow(t, villages, "Thôn Đông", "120", "3", "360", "300", "85", "0", "Có")
	wantRow(t, villages, "Xóm Đình", "80", "2", "160", "150", "0", "0", "Có")
}

func TestAnnualReportCSV(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	body := f.download(t, "csv")
	if !bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatal("no UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], reach.CSVHeader) {
		t.Fatalf("header %q", rows[0])
	}
	wantRow(t, rows, "Năm 2026", "", "Xã Liên Minh", "Truyền thanh cơ sở", "Lượt hộ nghe", "520", "1000", "52.0", "loudspeaker", "listeners")
	wantRow(t, rows, "Hoạt động", "Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới năm 2026",
		"Chung tay chấm dứt bạo lực giới", "Trang Facebook", "Đã thực hiện", "1")
	wantRow(t, rows, "Truyền thanh", "", "Cụm loa Nhà văn hóa (Xóm Đình)", "Truyền thanh cơ sở", "Báo không phát", "1")
	wantRow(t, rows, "Thôn, xóm", "", "Thôn Đông", "", "Số bản phát hành", "300")
	archiveSound(t, f.e) // outcomes, digests, manual entries
}

func TestAnnualReportPDF(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (Debian poppler-utils) is not installed")
	}
	f := newReportFixture(t)
	res := f.e.Do("GET", "/api/v1/reports/annual?year=2026&format=pdf&signer=Ph%E1%BA%A1m+Tr%C3%AD+D%C5%A9ng", f.mgr, nil).Want(200)
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Fatalf("content type %q, starts %q", ct, res.Body[:8])
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, res.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LANTOA_KEEP_REPORT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "report.pdf"), res.Body, 0o600)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(norm.NFC.String(string(out))), " ") // lines wrap anywhere
	for _, want := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND XÃ LIÊN MINH", "/BC-UBND",
		"Liên Minh, ngày 20 tháng 11 năm 2026", "BÁO CÁO",
		"Kết quả thực hiện Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới năm",
		"I. TÌNH HÌNH TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
		"Truyền thanh cơ sở", "Cụm loa Đình làng", "Thôn Đông", "Xóm Đình", "Nơi nhận:", "Sở Nội vụ tỉnh;",
		"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Trí Dũng", "PHỤ LỤC", "Chung tay chấm dứt bạo lực",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext:\n%s", text)
	}
}

func TestReportAndReachRoles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, role := range []accounts.Role{accounts.RoleOperator, accounts.RoleEditor} {
		e.Do("GET", "/api/v1/reports/annual?year=2026&format=csv", e.User(role, "lien-minh"), nil).Want(403)
	}
	op := e.User(accounts.RoleOperator, "lien-minh")
	e.Do("GET", "/api/v1/reach/summary?year=2026", op, nil).Want(403)
	e.Do("GET", "/api/v1/reach/timeline?campaign=lien-minh-gbv-month-2026", op, nil).Want(403)
	e.Do("POST", "/api/v1/reach", op, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "channel": "print",
		"metric": "copies", "value": 5, "date": "2026-11-20"}).Want(403)
	e.Do("GET", "/api/v1/province/reach/summary?year=2026", e.User(accounts.RoleManager, "lien-minh"), nil).Want(403)
	e.Do("GET", "/api/v1/province/reports/annual?year=2026", op, nil).Want(403)
	e.Do("GET", "/api/v1/reports/annual?year=2026&format=doc", e.User(accounts.RoleManager, "lien-minh"), nil).Want(400)
	e.Do("GET", "/api/v1/reports/annual?format=csv", e.User(accounts.RoleManager, "lien-minh"), nil).Want(400)
}

// wantRow fails unless some row starts with cells (after dropping empty
// leading cells when the row has them, as sheets do not).
func wantRow(t *testing.T, rows [][]string, cells ...string) {
	t.Helper()
	for _, r := range rows {
		if len(r) >= len(cells) && slices.Equal(r[:len(cells)], cells) {
			return
		}
		for i := 1; i < len(r); i++ { // the row may start with the campaign
			if len(r)-i >= len(cells) && slices.Equal(r[i:i+len(cells)], cells) {
				return
			}
		}
	}
	t.Errorf("no row with %q", cells)
}

func rowsOf(t *testing.T, x *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
