package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// newStation adds a loudspeaker station through the API and returns its id.
func newStation(t *testing.T, e *apptest.Env, name, village string, households int) string {
	t.Helper()
	var st struct{ ID string }
	e.Do("POST", "/api/v1/stations", e.Admin(), map[string]any{"name": name, "village": village, "households": households}).Want(201).JSON(&st)
	return st.ID
}

// postForm is a valid form for a post on Facebook and Zalo at 25/11/2026
// 08:00 in the action month.
func postForm() url.Values {
	return url.Values{"kind": {"post"}, "campaign_id": {gbv2026}, "title": {"Hãy lên tiếng khi thấy bạo lực"},
		"body": {"Gọi 111 nếu trẻ em bị bạo lực.\r\nGọi 113 khi khẩn cấp."}, "audiences": {"residents", "youth"},
		"channels": {"facebook", "zalo", "loudspeaker"}, "mode": {"once"}, "at_date": {"2026-11-25"}, "at_time": {"08:00"},
		"link": {"https://lienminh.example/ho-tro"}}
}

var itemLocation = regexp.MustCompile(`^/items/([0-9a-f]{24})\?`)

// itemID returns the id of the item a response redirected to.
func itemID(t *testing.T, p *page) string {
	t.Helper()
	m := itemLocation.FindStringSubmatch(p.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirected to %q, not an item", p.Header.Get("Location"))
	}
	return m[1]
}

func TestItemEditorCreatesAndSubmitsAPost(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/items/new?campaign="+gbv2026).want(200).sound().has("Soạn nội dung mới", `name="title"`, `name="body"`,
		`value="post" checked`, "Người có uy tín trong cộng đồng", "Trang Facebook", ">T2<", ">CN<", "Xem trước",
		`name="from" type="date" value="2026-11-20"`, `name="at_date" type="date" value="2026-11-21"`, `value="08:00"`, `data-wpm="130"`, "(Chưa có tiêu đề)", "Giờ Việt Nam (UTC&#43;7).",
		`<option value="`+gbv2026+`" selected>`, "editor.", "pages.")

	// Errors sit next to their fields, and what was typed stays.
	bad := url.Values{"kind": {"post"}, "campaign_id": {gbv2026}, "title": {" "}, "body": {""},
		"audiences": {"women"}, "mode": {"once"}, "at_date": {"2026-11-25"}, "at_time": {""}}
	p := ed.post("/items/new", bad).want(http.StatusUnprocessableEntity).sound()
	p.has("Chưa lưu được", "Vui lòng nhập ô này.", "Hãy chọn ít nhất một kênh phù hợp", "Hãy chọn ngày và giờ.",
		`aria-invalid="true"`, `value="women" checked`, `value="2026-11-25"`)
	past := postForm()
	past.Set("at_date", "2026-11-19")
	ed.post("/items/new", past).want(http.StatusUnprocessableEntity).has("Thời điểm này đã qua", "Hãy lên tiếng khi thấy bạo lực")
	far := postForm()
	far.Set("at_date", "2027-03-01")
	ed.post("/items/new", far).want(http.StatusUnprocessableEntity).has("Ngày phải nằm trong thời gian chiến dịch (15/11/2026 – 15/12/2026) hoặc trong 30 ngày trước, sau chiến dịch.")
	link := postForm()
	link.Set("link", "javascript:alert(1)")
	ed.post("/items/new", link).want(http.StatusUnprocessableEntity).has("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")

	form := postForm()
	form.Set("action", "submit")
	res := ed.post("/items/new", form)
	id := itemID(t, res.redirects("/items/"))
	it, err := e.App.Campaigns.GetItem(apptest.Scoped("lien-minh"), id)
	if err != nil || it.Status != "submitted" || strings.Join(it.Channels, ",") != "facebook,zalo" || len(it.Audiences) != 2 ||
		it.Body != "Gọi 111 nếu trẻ em bị bạo lực.\nGọi 113 khi khẩn cấp." || it.Schedule.At == nil || it.Schedule.At.Hour() != 1 {
		t.Fatalf("stored %+v %v", it, err)
	}
	page := ed.get("/items/" + id + "?submitted=1").want(200).sound()
	page.has("Đã gửi duyệt.", `<span class="badge submitted">chờ duyệt</span>`, "Bài đăng", "người viết: editor-lien-minh",
		"Nội dung đang chờ duyệt. Nếu lưu thay đổi", "Lịch sử", "tạo nội dung", "gửi duyệt",
		"Thứ Tư, 25/11/2026 lúc 08:00", `data-pv="title"`, "Hãy lên tiếng khi thấy bạo lực</h2>", "https://lienminh.example/ho-tro",
		`name="version" value="1"`, "Xem các lượt phát")
	// The calendar links the entry to the item.
	ed.get("/calendar?month=2026-11").want(200).has(`<a href="/items/` + id + `">Hãy lên tiếng khi thấy bạo lực</a>`)
	// And the campaign lists it.
	ed.get("/campaigns/"+gbv2026).want(200).has("Nội dung của chiến dịch", `href="/items/`+id+`"`, "&#43; Nội dung mới",
		`href="/items/new?campaign=`+gbv2026+`"`)
}

func TestItemEditorScriptWithStationsAndRecurrence(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st := newStation(t, e, "Cụm loa Thôn Đông", "Thôn Đông", 140)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/items/new?kind=script&campaign="+gbv2026).want(200).has(`value="script" checked`, `value="repeat" checked`,
		"Cụm loa Thôn Đông — Thôn Đông (140 hộ)", `value="06:00"`, `value="17:30"`, "Kênh: Truyền thanh cơ sở")
	body := strings.TrimSpace(strings.Repeat("Bạo lực gia đình là vi phạm pháp luật. ", 26)) // 234 words
	form := url.Values{"kind": {"script"}, "campaign_id": {gbv2026}, "title": {"Bài phát thanh số 1"}, "body": {body},
		"audiences": {"residents"}, "mode": {"repeat"}, "times": {"17:30", "06:00", "", ""}, "from": {"2026-11-23"},
		"to": {"2026-11-27"}, "weekdays": {"1", "3", "5"}, "channels": {"facebook"}, "link": {"https://x.example"}}
	ed.post("/items/new", form).want(http.StatusUnprocessableEntity).has("Bài phát thanh cần ít nhất một cụm loa của xã.")
	form.Set("station_ids", st)
	form.Set("to", "2026-11-20")
	ed.post("/items/new", form).want(http.StatusUnprocessableEntity).has("Ngày kết thúc không được trước ngày bắt đầu.")
	// With a missing title too, both are said at once.
	form.Set("title", "")
	ed.post("/items/new", form).want(http.StatusUnprocessableEntity).has("Ngày kết thúc không được trước ngày bắt đầu.", "Vui lòng nhập ô này.")
	form.Set("title", "Bài phát thanh số 1")
	form.Set("to", "2026-11-27")
	form["times"] = []string{"6h", ""}
	ed.post("/items/new", form).want(http.StatusUnprocessableEntity).has("Giờ phát phải có dạng GIỜ:PHÚT")
	form["times"] = []string{"17:30", "06:00", "", ""}
	id := itemID(t, ed.post("/items/new", form).redirects("/items/"))
	it, _ := e.App.Campaigns.GetItem(apptest.Scoped("lien-minh"), id)
	if it.Status != "draft" || strings.Join(it.Channels, ",") != "loudspeaker" || it.Link != "" ||
		strings.Join(it.Schedule.Times, ",") != "06:00,17:30" || len(it.Schedule.Weekdays) != 3 || len(it.StationIDs) != 1 {
		t.Fatalf("stored %+v", it)
	}
	// 234 words at 130 a minute: 108 seconds.
	ed.get("/items/"+id+"?saved=1").want(200).sound().has("Đã lưu bản nháp.", "Thời lượng đọc ước tính:",
		`<b data-pv="read">1 phút 48 giây</b>`, `<span data-pv="words">234</span> từ`, "130 từ/phút",
		"06:00, 17:30 vào T2, T4, T6, từ 23/11/2026 đến 27/11/2026", `value="1" checked`, `value="`+st+`" checked`)
	// Pressing save on an untouched form makes no new version.
	form.Set("version", "1")
	ed.post("/items/"+id, form).redirects("/items/" + id + "?unchanged=1")
	if it, _ := e.App.Campaigns.GetItem(apptest.Scoped("lien-minh"), id); it.Version != 1 {
		t.Fatalf("an unchanged save made version %d", it.Version)
	}
	// A form opened on an older version is refused, and says why.
	form.Set("title", "Bài phát thanh số 1 (sửa)")
	ed.post("/items/"+id, form).redirects("/items/" + id + "?saved=1")
	ed.post("/items/"+id, form).want(http.StatusConflict).has("vừa được người khác sửa")
}

func TestApprovalsApproveAndReject(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	form := postForm()
	form.Set("action", "submit")
	id := itemID(t, ed.post("/items/new", form).redirects("/items/"))

	q := mgr.get("/approvals").want(200).sound()
	q.has("Nội dung chờ duyệt", `id="i-`+id+`"`, "Hãy lên tiếng khi thấy bạo lực", "editor-lien-minh gửi lúc 20/11/2026 09:00",
		`action="/approvals/`+id+`/approve"`, `action="/approvals/`+id+`/reject#i-`+id+`"`, "Gọi 111 nếu trẻ em bị bạo lực.", "Người dân khu dân cư",
		"Thứ Tư, 25/11/2026 lúc 08:00").lacks("Không có nội dung nào đang chờ duyệt.")
	// A rejection needs a reason, shown next to the reason box.
	mgr.post("/approvals/"+id+"/reject", url.Values{"reason": {" "}}).want(http.StatusUnprocessableEntity).sound().
		has("Hãy ghi lý do trả lại", `aria-invalid="true"`, `id="i-`+id+`"`) // at its item: the form's action ends in #i-<id>
	mgr.post("/approvals/"+id+"/reject", url.Values{"reason": {"Thiếu số đường dây nóng của xã"}}).redirects("/approvals?rejected=" + id)
	mgr.get("/approvals?rejected="+id).want(200).has("Đã trả lại “Hãy lên tiếng khi thấy bạo lực” cho người viết kèm lý do.",
		"Không có nội dung nào đang chờ duyệt.")
	ed.get("/items/"+id).want(200).has("Lãnh đạo đã trả lại, lý do:", "Thiếu số đường dây nóng của xã", "trả lại", "nháp")

	// The editor submits again, unchanged: no new version, straight to the queue.
	ed.post("/items/"+id, url.Values{"action": {"submit"}, "version": {"1"}, "campaign_id": {gbv2026},
		"title": form["title"], "body": {"Gọi 111 nếu trẻ em bị bạo lực.\nGọi 113 khi khẩn cấp."}, "audiences": {"residents", "youth"},
		"channels": {"facebook", "zalo"}, "mode": {"once"}, "at_date": {"2026-11-25"}, "at_time": {"08:00"}, "link": form["link"]}).
		redirects("/items/" + id + "?submitted=1")
	mgr.post("/approvals/"+id+"/approve", nil).redirects("/approvals?approved=" + id + "&n=2")
	mgr.get("/approvals?approved=" + id + "&n=2").want(200).has("Đã duyệt “Hãy lên tiếng khi thấy bạo lực”: 2 lượt phát, đăng đã được lên lịch.")
	mgr.post("/approvals/"+id+"/approve", nil).want(http.StatusConflict).has("vừa được người khác xử lý")
	mgr.get("/items/"+id).want(200).sound().has("đã duyệt", "Lịch sử", "duyệt").lacks(`name="title"`)

	// Editing approved content warns, goes back to draft and cancels what was pending.
	p := ed.get("/items/" + id).want(200)
	p.has("Nội dung này đã được duyệt. Nếu lưu thay đổi, nội dung sẽ trở về bản nháp, phải được duyệt lại, và 2 lượt phát đang chờ sẽ bị hủy.")
	edit := postForm()
	edit.Set("version", "1")
	edit.Set("title", "Hãy lên tiếng khi thấy bạo lực gia đình")
	ed.post("/items/"+id, edit).redirects("/items/" + id + "?saved=1")
	it, _ := e.App.Campaigns.GetItem(apptest.Scoped("lien-minh"), id)
	if it.Status != campaigns.StatusDraft || it.Version != 2 {
		t.Fatalf("after editing approved content: %+v", it)
	}
	ed.get("/items/" + id).want(200).has("nội dung đã duyệt trở về bản nháp, 2 lượt phát đang chờ bị hủy")
	ed.get("/deliveries?state=cancelled").want(200).has("Đã hủy vì nội dung được sửa sau khi duyệt.")
}

func TestAuthorCannotApproveOwnItem(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	promoted := as(t, e, accounts.RoleEditor, "lien-minh")
	form := postForm()
	form.Set("action", "submit")
	id := itemID(t, promoted.post("/items/new", form).redirects("/items/"))
	if _, err := e.DB.Collection("users").UpdateOne(t.Context(), map[string]any{"username": "editor-lien-minh"},
		map[string]any{"$set": map[string]any{"role": "manager"}}); err != nil {
		t.Fatal(err)
	}
	p := promoted.get("/approvals").want(200)
	p.has("Bạn là người viết nội dung này nên không thể tự duyệt; một lãnh đạo khác cần duyệt.").lacks(`action="/approvals/` + id + `/approve"`)
	promoted.post("/approvals/"+id+"/approve", nil).want(http.StatusForbidden).has("không thể tự duyệt")
}

func TestItemPageForOtherRoles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	id := itemID(t, ed.post("/items/new", postForm()).redirects("/items/"))
	op := as(t, e, accounts.RoleOperator, "lien-minh")
	op.get("/items/"+id).want(200).sound().has("Hãy lên tiếng khi thấy bạo lực", "Xem trước", "Thứ Tư, 25/11/2026 lúc 08:00").
		lacks(`name="title"`, "Lịch sử", "Xem các lượt phát")
	op.post("/items/"+id, postForm()).want(403)
	op.get("/items/new").want(403)
	as(t, e, accounts.RoleManager, "lien-minh").get("/items/new").want(403)
	ed.get("/items/x-unknown").want(404)
	// English, with the same preview.
	ed.setCookie("lang", "en")
	ed.get("/items/"+id).want(200).has(`<html lang="en">`, "Preview", "Save draft", "Save and submit", "Wednesday 25/11/2026 at 08:00")
}
