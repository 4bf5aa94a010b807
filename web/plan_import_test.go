package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans/planstest"
)

// planSheetRows is a week of the action month after the test clock
// (20/11/2026): a script on every station, a post, an event and a
// leaflet; badTime, when set, is the post's time.
func planSheetRows(badTime string) [][]any {
	postTime := "08:00"
	if badTime != "" {
		postTime = badTime
	}
	return [][]any{
		{"Loại", "Tiêu đề", "Nội dung", "Kênh", "Ngày", "Giờ", "Đến ngày", "Thứ", "Cụm loa", "Đối tượng", "Liên kết", "Địa điểm"},
		{"Loa", "Thông điệp tuần lễ", "Kính thưa bà con! Hãy cùng nói không với bạo lực gia đình.", "", "23/11/2026", "06:00, 17:30", "27/11/2026", "", "Tất cả", "Người dân khu dân cư"},
		{"Bài đăng", "Ngày Quốc tế 25/11", "Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ.", "Facebook, Zalo", "25/11/2026", postTime, "", "", "", "Thanh niên", "https://example.org/25-11"},
		{"Sự kiện", "Tọa đàm gia đình không bạo lực", "Tọa đàm với chi hội phụ nữ.", "Sự kiện", "27/11/2026", "14:00", "", "", "", "Phụ nữ", "", "Hội trường xã"},
		{"Tờ rơi", "Đường dây nóng 111", "Gọi 111 khi bạn hoặc người thân bị bạo lực.", "Bản in", "30/11/2026", "09:00"},
	}
}

func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// planStation gives the commune a loudspeaker station, for the scripts.
func planStation(t *testing.T, e *apptest.Env) {
	t.Helper()
	e.Do("POST", "/api/v1/stations", e.Admin(), map[string]string{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông"}).Want(201)
}

func campaignItemsOf(t *testing.T, e *apptest.Env, campaign string) []campaigns.Item {
	t.Helper()
	its, err := e.App.Campaigns.CampaignItems(apptest.Scoped("lien-minh"), campaign)
	if err != nil {
		t.Fatal(err)
	}
	return its
}

// TestPlanImportPages: an editor finds the import on the campaign, picks a
// file with a bad cell and reads which cell and why (nothing created),
// picks the fixed file, confirms once (a second confirmation changes
// nothing), lands on the drafts and submits them all: the leaflet waits for
// its leaflet, the rest go.
func TestPlanImportPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	planStation(t, e)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	path := "/campaigns/" + gbv2026 + "/import"

	ed.get("/campaigns/"+gbv2026).want(200).has(`href="`+path+`"`, "Nhập kế hoạch từ Excel").lacks("Tải kế hoạch (Excel)")
	as(t, e, accounts.RoleManager, "lien-minh").get("/campaigns/" + gbv2026).want(200).lacks(`href="` + path + `"`)
	ed.get(path).want(200).sound().has("Tải tệp mẫu (.xlsx)", `href="/api/v1/import/template.xlsx"`, `enctype="multipart/form-data"`,
		`name="file"`, "Kiểm tra tệp")

	bad := planstest.XLSX(t, planSheetRows("8h"), nil)
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"kế hoạch.xlsx": bad}}).redirects(path + "?file=" + sha(bad))
	ed.get(path+"?file="+sha(bad)).want(200).sound().
		has("Tệp: kế hoạch.xlsx", "Số dòng: 4 · mục mới: 3 · đã có: 0 · lỗi: 1", "Tệp có lỗi nên chưa thể nhập",
			`<tr class="line bad" id="row-3">`, `<span class="badge bad">lỗi</span>`, `Giờ: <mark class="bad">8h</mark>`,
			"<li>Dòng 3, cột Giờ: &#39;8h&#39; không phải giờ hợp lệ, hãy viết 08:00</li>", "Sửa tệp rồi chọn lại",
			`Lỗi ở: <a href="#row-3">Dòng 3 (Giờ)</a>`,
			`<span class="badge new">mới</span>`, "06:00, 17:30 hằng ngày, từ 23/11/2026 đến 27/11/2026").
		lacks(`id="confirm"`)
	ed.setCookie("lang", "en")
	ed.get(path+"?file="+sha(bad)).want(200).has("Row 3, column Giờ (Time): &#39;8h&#39; is not a valid time; write 08:00", "Giờ (Time): <mark")
	ed.setCookie("lang", "vi")

	good := planstest.XLSX(t, planSheetRows(""), nil)
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"kế hoạch.xlsx": good}}).redirects(path + "?file=" + sha(good))
	ed.get(path+"?file="+sha(good)).want(200).sound().has("Tệp hợp lệ: 4 mục sẽ được tạo", `id="confirm"`, "Nhập 4 mục",
		`name="file" value="`+sha(good)+`"`, "Chọn tệp khác", `<span class="part">Cụm loa: Tất cả</span>`).lacks("badge bad", `<mark class="bad">`)
	if n := len(campaignItemsOf(t, e, gbv2026)); n != 0 {
		t.Fatalf("the previews created %d items", n)
	}

	// Another request holds the import (a first tap still running): the
	// second waits on the page, which reloads itself, and imports nothing.
	me, err := e.App.Accounts.Authenticate(t.Context(), e.User(accounts.RoleEditor, "lien-minh"), accounts.KindSession)
	if err != nil {
		t.Fatal(err)
	}
	scoped := apptest.Scoped("lien-minh")
	if ok, err := e.App.PlanFiles.Claim(scoped, me.UserID, sha(good)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	ed.post(path+"/confirm", url.Values{"file": {sha(good)}}).redirects(path + "?file=" + sha(good))
	ed.get(path+"?file="+sha(good)).want(200).has("Đang nhập kế hoạch…", `<meta http-equiv="refresh" content="2">`).lacks(`id="confirm"`)
	if n := len(campaignItemsOf(t, e, gbv2026)); n != 0 {
		t.Fatalf("a second confirmation created %d items", n)
	}
	if err := e.App.PlanFiles.Release(scoped, me.UserID, sha(good)); err != nil {
		t.Fatal(err)
	}

	done := path + "/done?file=" + sha(good)
	ed.post(path+"/confirm", url.Values{"file": {sha(good)}}).redirects(done)
	ed.post(path+"/confirm", url.Values{"file": {sha(good)}}).redirects(done)
	items := campaignItemsOf(t, e, gbv2026)
	if len(items) != 4 {
		t.Fatalf("%d items after confirming", len(items))
	}
	p := ed.get(done).want(200).sound().has("Đã tạo 4 mục ở dạng nháp.", "Gửi duyệt tất cả (4)", "Xem trên lịch",
		`href="/calendar?campaign=`+gbv2026+`&amp;month=2026-11"`)
	for _, it := range items {
		if it.Status != campaigns.StatusDraft {
			t.Errorf("%s is %s", it.Title, it.Status)
		}
		p.has(`href="/items/`+it.ID+`"`, it.Title)
	}
	ed.get(path + "?file=" + sha(good)).redirects(done) // back to the preview: its result instead

	p = ed.post(path+"/submit", url.Values{"file": {sha(good)}}).want(200).sound().
		has("Đã gửi duyệt 3 mục.", "1 mục chưa gửi duyệt được", "Chưa gửi duyệt: hãy tạo tờ rơi trước.", "Tạo tờ rơi", "Gửi duyệt tất cả (1)")
	for _, it := range campaignItemsOf(t, e, gbv2026) {
		want := campaigns.StatusSubmitted
		if it.Kind == campaigns.KindLeaflet {
			want = campaigns.StatusDraft
			p.has(`href="/items/` + it.ID + `/leaflet"`)
		}
		if it.Status != want {
			t.Errorf("%s (%s) is %s, want %s", it.Title, it.Kind, it.Status, want)
		}
	}
	ed.get(done).want(200).has("Gửi duyệt tất cả (1)")
	ed.get("/campaigns/"+gbv2026).want(200).has(`href="/api/v1/campaigns/`+gbv2026+`/plan.xlsx"`, "Tải kế hoạch (Excel)")

	// The same file picked again: nothing new, nothing to confirm.
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"lại.xlsx": good}}).redirects(path + "?file=")
	ed.get(path+"?file="+sha(good)).want(200).has("Mọi dòng của tệp đã có trong chiến dịch", `<span class="badge existing">đã có</span>`).lacks(`id="confirm"`)
	if n := len(campaignItemsOf(t, e, gbv2026)); n != 4 {
		t.Errorf("%d items after the same file again", n)
	}
}

// TestPlanImportRefusalsOnThePage: no file, a file that is no spreadsheet,
// a file over 5 MB, another person's file, an expired one: each said on
// the page, nothing kept or created.
func TestPlanImportRefusalsOnThePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	path := "/campaigns/" + gbv2026 + "/import"
	ed.postMultipart(path, nil, nil).want(http.StatusUnprocessableEntity).has("Hãy chọn một tệp Excel (.xlsx) hoặc CSV.")
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"anh.png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}).
		want(http.StatusUnsupportedMediaType).has("Tệp này không phải bảng tính")
	big := []byte(strings.Repeat("Loa,Tin\r\n", 5<<20/9+1)) // just over 5 MB
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"lon.csv": big}}).
		want(http.StatusRequestEntityTooLarge).has("Tệp lớn hơn 5 MB")
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"lon.csv": append(big, big...)}}).
		want(http.StatusRequestEntityTooLarge)

	csv := []byte("Loại;Tiêu đề;Nội dung;Kênh;Ngày;Giờ\r\nBài đăng;Một;Nội dung;Facebook;25/11/2026;08:00\r\n")
	ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"ke-hoach.csv": csv}}).redirects(path + "?file=" + sha(csv))
	other := newBrowser(t, e)
	other.setSession(e.UserNamed("bien-tap-2", accounts.RoleEditor, "lien-minh"))
	other.get(path + "?file=" + sha(csv)).want(http.StatusNotFound).has("Tệp đã chọn không còn được giữ")
	other.post(path+"/confirm", url.Values{"file": {sha(csv)}}).want(http.StatusNotFound)
	e.Clock.Advance(3 * time.Hour)
	ed.get(path+"?file="+sha(csv)).want(http.StatusNotFound).has("Tệp đã chọn không còn được giữ", "Kiểm tra tệp")
	ed.post(path+"/confirm", url.Values{"file": {sha(csv)}}).want(http.StatusNotFound)
	ed.get(path + "/done?file=" + sha(csv)).want(http.StatusNotFound)
	if n := len(campaignItemsOf(t, e, gbv2026)); n != 0 {
		t.Errorf("%d items created", n)
	}
}

// TestPlanImportPreviewMarks: every kind of error sits where the user looks
// for it: bad cells of the table marked, bad cells of columns the table
// does not show listed with the title, a repeated row marked whole, and a
// missing column above the table (its rows shown as the file has them).
func TestPlanImportPreviewMarks(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	planStation(t, e)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	path := "/campaigns/" + gbv2026 + "/import"
	preview := func(csv string) *page {
		t.Helper()
		data := []byte(csv)
		ed.postMultipart(path, nil, map[string]map[string][]byte{"file": {"ke-hoach.csv": data}}).redirects(path + "?file=" + sha(data))
		return ed.get(path + "?file=" + sha(data)).want(200).sound()
	}
	preview("\ufeffLoại;Tiêu đề;Nội dung;Kênh;Ngày;Giờ;Cụm loa\r\n"+
		"Bài đăng;Một;Nội dung;Facebook;25/11/2026;08:00;\r\n"+
		"Loa phóng;;Nội dung;;26/11/2026;08:00;\r\n"+
		"Bài đăng;Một;Nội dung;Facebook;25/11/2026;08:00;\r\n"+
		"Loa;Ba;Nội dung;;27/11/2026;06:00;Cụm 9\r\n").
		has(`<tr class="line bad" id="row-3">`, `<mark class="bad">Loa phóng</mark>`, `<mark class="bad">(trống)</mark>`,
			"Dòng 3, cột Tiêu đề: bắt buộc nhưng đang để trống",
			`<tr class="line bad bad-row" id="row-4">`, "Dòng 4: trùng với dòng 2; hãy xoá một dòng",
			`Cụm loa: <mark class="bad">Cụm 9</mark>`, "Dòng 5, cột Cụm loa: không có cụm loa tên &#39;Cụm 9&#39;",
			`<a href="#row-3">Dòng 3 (Loại, Tiêu đề)</a>, <a href="#row-4">Dòng 4</a>, <a href="#row-5">Dòng 5 (Cụm loa)</a>`,
			"Số dòng: 4 · mục mới: 1 · đã có: 0 · lỗi: 4").
		lacks(`id="confirm"`, "Lỗi của cả tệp")
	preview("Loại,Tiêu đề,Nội dung,Kênh,Ngày\r\nBài đăng,Một,Nội dung,Facebook,46351\r\n").
		has("Lỗi của cả tệp", "Dòng 1, cột Giờ: thiếu cột này trong dòng tiêu đề", `<tr class="line" id="row-2">`,
			"Ngày: 25/11/2026").
		lacks(`id="confirm"`, `id="row-1"`)
}
