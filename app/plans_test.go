package app_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/planstest"
)

// The API of plans from a spreadsheet (SPEC §6.4). Helpers start with
// "plan" so as not to collide with the other tests of the package.

const planCampaign = "lien-minh-gbv-month-2026"

// planHeader is the template's header row.
var planHeader = []any{"Loại", "Tiêu đề", "Nội dung", "Kênh", "Ngày", "Giờ", "Đến ngày", "Thứ", "Cụm loa", "Đối tượng", "Liên kết", "Địa điểm"}

// planRows is a week of the action month after the test clock (20/11/2026):
// a script on every station, a post, an event and a leaflet. badTime, when
// set, is written as the post's time.
func planRows(badTime string) [][]any {
	postTime := "08:00"
	if badTime != "" {
		postTime = badTime
	}
	return [][]any{planHeader,
		{"Loa", "Thông điệp tuần lễ", "Kính thưa bà con! Hãy cùng nói không với bạo lực gia đình.", "", "23/11/2026", "06:00, 17:30", "27/11/2026", "", "Tất cả", "Người dân khu dân cư"},
		{"Bài đăng", "Ngày 25/11", "Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ.", "Facebook, Zalo", "25/11/2026", postTime, "", "", "", "Thanh niên", "https://example.org/25-11"},
		{"Sự kiện", "Tọa đàm gia đình không bạo lực", "Tọa đàm với chi hội phụ nữ.", "Sự kiện", "27/11/2026", "14:00", "", "", "", "Phụ nữ", "", "Hội trường xã"},
		{"Tờ rơi", "Đường dây nóng 111", "Gọi 111 khi bạn hoặc người thân bị bạo lực.", "Bản in", "30/11/2026", "09:00"},
	}
}

// planPost sends file as the multipart field "file" to path, with extra
// headers in pairs.
func planPost(e *apptest.Env, path, token string, file []byte, header ...string) *apptest.Response {
	e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "ke-hoach.xlsx")
	if err != nil {
		e.T.Fatal(err)
	}
	if _, err := fw.Write(file); err != nil {
		e.T.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		e.T.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.Server.URL+path, &body)
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.Send(req)
}

func planImportPath(campaign string, dry bool) string {
	d := "0"
	if dry {
		d = "1"
	}
	return "/api/v1/campaigns/" + campaign + "/import?dry_run=" + d
}

func planItems(e *apptest.Env, token, campaign string) []campaigns.Item {
	e.T.Helper()
	var list []campaigns.Item
	e.Do("GET", "/api/v1/items?campaign="+campaign, token, nil).Want(200).JSON(&list)
	return list
}

// planEnv is a service with an editor and a loudspeaker station.
func planEnv(t *testing.T) (*apptest.Env, string) {
	t.Helper()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	e.Do("POST", "/api/v1/stations", ed, map[string]string{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông"}).Want(201)
	return e, ed
}

// TestPlanImportAPI: the dry run says what would be made and creates
// nothing; a file with a bad cell is refused whole (422, the cell named in
// the caller's language); the fixed file creates every row as a draft; the
// same file again creates nothing.
func TestPlanImportAPI(t *testing.T) {
	t.Parallel()
	e, ed := planEnv(t)
	good, bad := planstest.XLSX(t, planRows(""), nil), planstest.XLSX(t, planRows("8h"), nil)

	var r plans.Report
	planPost(e, planImportPath(planCampaign, true), ed, good).Want(200).JSON(&r)
	if r.Rows != 4 || len(r.Items) != 4 || len(r.Errors) != 0 || r.Created != 4 {
		t.Fatalf("dry run: %+v", r)
	}
	if it := r.Items[0]; it.Row != 2 || it.Kind != "script" || it.Title != "Thông điệp tuần lễ" || it.Occurrences != 10 ||
		len(it.Channels) != 1 || it.Channels[0] != "loudspeaker" {
		t.Errorf("first item %+v", it)
	}
	if n := len(planItems(e, ed, planCampaign)); n != 0 {
		t.Fatalf("the dry run created %d items", n)
	}

	const wantVI = "Dòng 3, cột Giờ: '8h' không phải giờ hợp lệ, hãy viết 08:00"
	planPost(e, planImportPath(planCampaign, false), ed, bad).Want(422).JSON(&r)
	if len(r.Errors) != 1 || r.Errors[0].Row != 3 || r.Errors[0].Column != "Giờ" || r.Errors[0].Message != wantVI || r.Created != 0 {
		t.Fatalf("import of a bad file: %+v", r)
	}
	if n := len(planItems(e, ed, planCampaign)); n != 0 {
		t.Fatalf("a file with an error created %d items", n)
	}
	for _, ask := range [][]string{{"?lang=en"}, {"", "Accept-Language", "en-GB,en;q=0.9,vi;q=0.5"}} {
		planPost(e, planImportPath(planCampaign, true)+strings.ReplaceAll(ask[0], "?", "&"), ed, bad, ask[1:]...).Want(200).JSON(&r)
		if len(r.Errors) != 1 || !strings.HasPrefix(r.Errors[0].Message, "Row 3, column Giờ (Time): '8h' is not a valid time") {
			t.Errorf("asked %q: %+v", ask, r.Errors)
		}
	}
	planPost(e, planImportPath(planCampaign, true), ed, bad, "Accept-Language", "fr-FR, de;q=0.8").Want(200).JSON(&r)
	if len(r.Errors) != 1 || r.Errors[0].Message != wantVI {
		t.Errorf("in French (unknown: Vietnamese): %+v", r.Errors)
	}

	planPost(e, planImportPath(planCampaign, false), ed, good).Want(200).JSON(&r)
	if r.Created != 4 || r.Skipped != 0 || len(r.Items) != 4 || r.Items[1].ID == "" {
		t.Fatalf("import: %+v", r)
	}
	items := planItems(e, ed, planCampaign)
	if len(items) != 4 {
		t.Fatalf("%d items after the import", len(items))
	}
	for _, it := range items {
		if it.Status != campaigns.StatusDraft || it.CampaignID != planCampaign {
			t.Errorf("item %s is %s in %s", it.Title, it.Status, it.CampaignID)
		}
	}
	planPost(e, planImportPath(planCampaign, false), ed, good).Want(200).JSON(&r)
	if r.Created != 0 || r.Skipped != 4 {
		t.Errorf("the same file again: created %d, skipped %d", r.Created, r.Skipped)
	}
	if n := len(planItems(e, ed, planCampaign)); n != 4 {
		t.Errorf("%d items after importing the same file twice", n)
	}
	planPost(e, planImportPath("nowhere", true), ed, good).Want(404)
}

// TestPlanImportRefusals: the size limit (413, before parsing), files that
// are no spreadsheet (415), a request without a file or with a bad
// dry_run (400), in the error shape and the caller's language.
func TestPlanImportRefusals(t *testing.T) {
	t.Parallel()
	e, ed := planEnv(t)
	big := bytes.Repeat([]byte("Loa,Tin,Nội dung\r\n"), plans.MaxFileBytes/18+1)
	r := planPost(e, planImportPath(planCampaign, true), ed, big).Want(413)
	if r.ErrorCode() != "too_large" || !strings.Contains(string(r.Body), "Tệp lớn hơn 5 MB") {
		t.Errorf("413 body %s", r.Body)
	}
	// Exactly the limit is read (and found wanting as a plan, not as a size).
	var rep plans.Report
	planPost(e, planImportPath(planCampaign, true), ed, big[:plans.MaxFileBytes]).Want(200).JSON(&rep)
	if len(rep.Errors) == 0 {
		t.Error("a 5 MB file of nonsense has no error")
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	r = planPost(e, planImportPath(planCampaign, true)+"&lang=en", ed, png).Want(415)
	if r.ErrorCode() != "unsupported_media_type" || !strings.Contains(string(r.Body), "not a spreadsheet") {
		t.Errorf("415 body %s", r.Body)
	}
	planPost(e, planImportPath(planCampaign, false), ed, []byte("%PDF-1.7\n")).Want(415)
	e.Do("POST", planImportPath(planCampaign, true), ed, `{"file":"x"}`).Want(400)
	r = planPost(e, "/api/v1/campaigns/"+planCampaign+"/import?dry_run=yes", ed, planstest.XLSX(t, planRows(""), nil)).Want(400)
	if !strings.Contains(string(r.Body), `"field":"dry_run"`) {
		t.Errorf("400 body %s", r.Body)
	}
	if n := len(planItems(e, ed, planCampaign)); n != 0 {
		t.Errorf("refused requests created %d items", n)
	}
}

// TestPlanTemplateAndExportAPI: the template downloads as an XLSX with an
// ASCII file name and imports as nothing (its rows are examples); the
// campaign's plan.xlsx imports into an empty campaign as the same items;
// only editors import, anyone signed in exports, another commune sees no
// campaign.
func TestPlanTemplateAndExportAPI(t *testing.T) {
	t.Parallel()
	e, ed := planEnv(t)
	tpl := e.Do("GET", "/api/v1/import/template.xlsx", ed, nil).Want(200)
	if ct := tpl.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("template Content-Type %q", ct)
	}
	if cd := tpl.Header.Get("Content-Disposition"); cd != `attachment; filename="ke-hoach-mau.xlsx"` {
		t.Errorf("template Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl.Body))
	if err != nil {
		t.Fatal(err)
	}
	if head, _ := f.GetCellValue(plans.SheetName, "F1"); head != "Giờ" {
		t.Errorf("template F1 %q", head)
	}
	f.Close()
	var r plans.Report
	planPost(e, planImportPath(planCampaign, true), ed, tpl.Body).Want(200).JSON(&r)
	if len(r.Errors) != 1 || r.Created != 0 { // "no data rows below the headers": the examples are skipped
		t.Errorf("the template itself: %+v", r)
	}

	planPost(e, planImportPath(planCampaign, false), ed, planstest.XLSX(t, planRows(""), nil)).Want(200)
	mgr := e.User(accounts.RoleManager, "lien-minh")
	out := e.Do("GET", "/api/v1/campaigns/"+planCampaign+"/plan.xlsx", mgr, nil).Want(200)
	if cd := out.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="ke-hoach-thang-hanh-dong-vi-binh-dang-gioi`) {
		t.Errorf("plan.xlsx Content-Disposition %q", cd)
	}
	var empty campaigns.Campaign
	e.Do("POST", "/api/v1/campaigns", ed, map[string]string{"title": "Tuần lễ truyền thông", "start": "2026-11-21", "end": "2026-12-10"}).Want(201).JSON(&empty)
	planPost(e, planImportPath(empty.ID, false), ed, out.Body).Want(200).JSON(&r)
	if r.Created != 4 || len(r.Errors) != 0 {
		t.Fatalf("plan.xlsx into an empty campaign: %+v", r)
	}
	a, b := planItems(e, ed, planCampaign), planItems(e, ed, empty.ID)
	if len(a) != len(b) {
		t.Fatalf("%d items exported, %d imported back", len(a), len(b))
	}
	keys := map[string]bool{}
	for _, it := range a {
		keys[campaigns.PlanKey(it)] = true
	}
	for _, it := range b {
		if !keys[campaigns.PlanKey(it)] {
			t.Errorf("item %q came back changed: %+v", it.Title, it)
		}
	}

	planPost(e, planImportPath(planCampaign, true), mgr, out.Body).Want(403)
	e.Do("GET", "/api/v1/import/template.xlsx", e.User(accounts.RoleOperator, "lien-minh"), nil).Want(403)
	e.Do("GET", "/api/v1/import/template.xlsx", "", nil).Want(401)
	e.Do("POST", "/api/v1/communes", e.Admin(), map[string]string{"name": "Xã Yên Thắng"}).Want(201)
	other := e.User(accounts.RoleEditor, "xa-yen-thang")
	e.Do("GET", "/api/v1/campaigns/"+planCampaign+"/plan.xlsx", other, nil).Want(404)
	planPost(e, planImportPath(planCampaign, false), other, planstest.XLSX(t, planRows(""), nil)).Want(404)
}
