package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

const gbv2026 = "lien-minh-gbv-month-2026"

// TestEveryPageRenders opens each page as a user who may, and checks its
// status, its key Vietnamese content and that nothing failed in a template.
func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	anon := newBrowser(t, e)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	adm := as(t, e, accounts.RoleAdmin, "lien-minh")

	anon.get("/login").want(200).sound().has("Đăng nhập Lan Tỏa", `name="username"`, `name="password"`, "Mật khẩu")
	anon.get("/ho-tro").want(200).sound().has("Bạn không đơn độc", `href="tel:111"`, "Tổng đài quốc gia bảo vệ trẻ em",
		`href="tel:113"`, "Nơi tạm lánh tại cộng đồng", "Trạm Y tế xã", "Công an xã", "hỗ trợ tâm lý và tư vấn pháp lý")
	ed.get("/").want(200).sound().has("Việc của tôi", "Bản nháp của tôi", "Tờ rơi", "kind=leaflet")
	ed.get("/calendar").want(200).sound().has("Tháng 11 năm 2026", "Lịch truyền thông", "Biên tập viên",
		"Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới năm 2026", "Chiến dịch mới")
	ed.get("/calendar/subscribe").want(200).sound().has("Tạo liên kết đăng ký")
	ed.get("/campaigns/"+gbv2026).want(200).sound().has("Đang diễn ra", "15/11/2026 – 15/12/2026",
		"Phòng Văn hoá - Xã hội", "Nữ công nhân nhà trọ", "Truyền thanh cơ sở", "Sửa chiến dịch")
	ed.get("/campaigns/new").want(200).sound().has("Chiến dịch mới", `name="title"`, `name="audiences"`, `name="target_facebook"`)
	ed.get("/campaigns/"+gbv2026+"/edit").want(200).sound().has("Sửa chiến dịch", `value="2026-11-15"`, "checked")
	adm.get("/admin/communes").want(200).sound().has("Các xã dùng Lan Tỏa", "Xã Liên Minh", "lien-minh", "Thêm xã")
	adm.get("/admin/users").want(200).sound().has("Người dùng – Xã Liên Minh", "Quản trị viên", "Tạo tài khoản", "Ít nhất 10 ký tự")
	ed.get("/campaigns/x-unknown").want(404).sound().has("Không tìm thấy")
	ed.get("/calendar?month=2026-13").want(400).sound().has("Tháng không hợp lệ")
	ed.get("/admin/users").want(403).sound().has("Vai trò của bạn không được phép")
}

func TestOperatorSeesNoEditing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	op := as(t, e, accounts.RoleOperator, "lien-minh")
	op.get("/calendar").want(200).lacks("Chiến dịch mới", "/admin/users")
	op.get("/campaigns/" + gbv2026).want(200).lacks("Sửa chiến dịch")
	op.get("/campaigns/new").want(403)
}

func TestEnglishSwitch(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleManager, "lien-minh")
	p := b.get("/calendar").want(200)
	sw := regexp.MustCompile(`href="(/lang\?[^"]+)"`).FindStringSubmatch(p.Body)
	if sw == nil {
		t.Fatal("no language switch on the page")
	}
	b.get(strings.ReplaceAll(sw[1], "&amp;", "&")).redirects("/calendar")
	b.get("/calendar").want(200).has(`<html lang="en">`, "November 2026", "Campaign calendar", "Tiếng Việt").lacks("Tháng 11 năm 2026")
	b.get("/lang?to=vi&next=https://evil.example/").redirects("/")
	if loc := b.get("/lang?to=vi&next=//evil.example/").Header.Get("Location"); loc != "/" {
		t.Fatalf("open redirect to %q", loc)
	}
	b.get("/calendar").want(200).has(`<html lang="vi">`)
}

func TestCalendarMonth(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleEditor, "lien-minh")
	p := b.get("/calendar?month=2026-11").want(200).sound()
	p.has(
		// the grid: the action month's band from Sunday 15/11 (column 7) on, in lane 2
		`class="band band-gbv-month c7 s1 r2 open-e"`,
		`class="band band-gbv-month c1 s7 r2 open-s open-e"`,
		// 25/11 is a Wednesday: the International Day's band in column 3
		`class="band band-evaw-day c3 s1 r3"`,
		"Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái (25/11/2026)",
		// the milestone on 24/11 and the list view's days
		"Hạn gửi báo cáo năm", "Thứ Ba, 24/11", "Thứ Tư, 25/11",
		"Bắt đầu: Tháng hành động vì bình đẳng giới", "15/11/2026 – 15/12/2026", `class="dnum c5 r1 today"`,
		`href="/calendar?month=2026-10"`, `href="/calendar?month=2026-12"`,
		"Chưa có nội dung nào được lên lịch trong tháng này.",
	)
	b.get("/calendar?month=2026-06").want(200).has("Tháng hành động quốc gia về phòng, chống bạo lực gia đình năm 2026", "Thứ Hai, 01/06")
	// Filtering by campaign leaves only its band, and links keep the filter.
	f := b.get("/calendar?month=2026-11&campaign=lien-minh-evaw-day-2026").want(200)
	f.has("band-evaw-day c3", `href="/calendar?campaign=lien-minh-evaw-day-2026&amp;month=2026-12"`, "Bỏ lọc").lacks("band band-gbv-month")
	b.get("/calendar?month=2026-11&channel=tiktok").want(400)
}

func TestCalendarShowsItemsByDay(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	e.Do("POST", "/api/v1/items", ed, map[string]any{
		"campaign_id": gbv2026, "kind": "post", "title": "Hãy lên tiếng khi thấy bạo lực <b>",
		"body": "Gọi 111 nếu trẻ em bị bạo lực.", "audiences": []string{"residents"},
		"channels": []string{"facebook", "zalo"},
		"schedule": map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-27"},
	}).Want(201)
	b := as(t, e, accounts.RoleManager, "lien-minh")
	p := b.get("/calendar?month=2026-11").want(200).sound()
	p.has(`<b>06:00, 17:30</b> <small>Facebook, Zalo:</small> <a href="/items/`, `">Hãy lên tiếng khi thấy bạo lực &lt;b&gt;</a> <i>nháp</i>`).
		lacks("Chưa có nội dung nào", "bạo lực <b>")
	b.get("/calendar?month=2026-11&channel=zalo").want(200).has(`<small>Zalo:</small> <a href="/items/`).lacks("Facebook, Zalo")
	b.get("/calendar?month=2026-11&channel=loudspeaker").want(200).lacks("Hãy lên tiếng")
}

func TestCampaignFormCreatesAndEdits(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleEditor, "lien-minh")
	form := url.Values{"title": {`Tuần lễ "Nói không với bạo lực" <script>alert(1)</script>`},
		"start": {"2026-12-10"}, "end": {"2026-12-01"}, "audiences": {"youth", "men"}, "channels": {"loudspeaker"},
		"target_loudspeaker": {"1.200"}, "budget_vnd": {"5000000"}, "lead_unit": {"Đoàn Thanh niên xã"}}
	// Server-side validation: the error sits next to its field and the
	// typed values stay.
	p := b.post("/campaigns/new", form).want(http.StatusUnprocessableEntity).sound()
	p.has("Chưa lưu được", "Ngày kết thúc phải là ngày có thật", `value="2026-12-10"`, `aria-invalid="true"`,
		`value="youth" checked`, `value="1.200"`)
	// Several mistakes at once are all said at once.
	form.Set("title", " ")
	b.post("/campaigns/new", form).want(http.StatusUnprocessableEntity).has("Vui lòng nhập ô này.", "Ngày kết thúc phải là ngày có thật")
	form.Set("title", `Tuần lễ "Nói không với bạo lực" <script>alert(1)</script>`)
	form.Set("end", "2026-12-16")
	form.Set("target_facebook", "nhiều")
	b.post("/campaigns/new", form).want(http.StatusUnprocessableEntity).has("Chỉ tiêu phải là số nguyên không âm.")
	form.Del("target_facebook")
	loc := b.post("/campaigns/new", form).redirects("/campaigns/").Header.Get("Location")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/campaigns/"), "?saved=1")

	c, err := e.App.Campaigns.GetCampaign(apptest.Scoped("lien-minh"), id)
	if err != nil || c.Targets["loudspeaker"] != 1200 || c.BudgetVND != 5000000 || len(c.Audiences) != 2 || c.CreatedBy != "editor-lien-minh" {
		t.Fatalf("stored %+v, %v", c, err)
	}
	b.get(loc).want(200).sound().has("Đã lưu chiến dịch.", "&lt;script&gt;alert(1)&lt;/script&gt;", "5.000.000 đồng",
		"Thanh niên", "Nam giới", "Truyền thanh cơ sở: <b>1.200</b>").lacks("<script>alert")
	b.get("/calendar?month=2026-12").want(200).has("&lt;script&gt;alert(1)&lt;/script&gt;").lacks("<script>alert")

	form.Set("title", "Tuần lễ nói không với bạo lực")
	form["channels"] = []string{"loudspeaker", "facebook"}
	form.Set("target_facebook", "3000")
	b.post("/campaigns/"+id+"/edit", form).redirects("/campaigns/" + id + "?saved=1")
	c, _ = e.App.Campaigns.GetCampaign(apptest.Scoped("lien-minh"), id)
	if c.Title != "Tuần lễ nói không với bạo lực" || c.Targets["facebook"] != 3000 || len(c.Channels) != 2 {
		t.Fatalf("after edit %+v", c)
	}
	form.Set("title", strings.Repeat("ư", 201))
	b.post("/campaigns/"+id+"/edit", form).want(http.StatusUnprocessableEntity).has("Tên chiến dịch phải có từ 1 đến 200 ký tự.")
	form.Set("title", " ")
	b.post("/campaigns/"+id+"/edit", form).want(http.StatusUnprocessableEntity).has("Vui lòng nhập ô này.")
	b.post("/campaigns/x-unknown/edit", form).want(404)
}

func TestAdminCreatesCommuneAndUser(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	adm := as(t, e, accounts.RoleAdmin, "lien-minh")
	adm.post("/admin/communes", url.Values{"name": {"X"}}).want(422).has("Tên xã phải có từ 2 đến 120 ký tự.")
	adm.post("/admin/communes", url.Values{"name": {"Xã Yên Đồng"}}).redirects("/admin/communes?created=xa-yen-dong")
	adm.get("/admin/communes?created=xa-yen-dong").want(200).has("Đã thêm xã xa-yen-dong", "Xã Yên Đồng")
	adm.post("/admin/communes", url.Values{"name": {"Xã Yên Đồng"}}).want(422).has("Mã xã này đã có.")
	if _, err := e.App.Campaigns.GetCampaign(apptest.Scoped("xa-yen-dong"), "xa-yen-dong-gbv-month-2027"); err != nil {
		t.Fatalf("new commune not seeded: %v", err)
	}

	user := url.Values{"username": {"nguyen.lan"}, "display_name": {"Nguyễn Thị Lan"}, "role": {"editor"},
		"commune_id": {"xa-yen-dong"}, "password": {"ngan-qua"}}
	// The form answers at itself (#new-user): on a phone the error is on
	// screen, not three screens below the top; the next page opens at its notice.
	adm.post("/admin/users", user).want(422).has("Mật khẩu phải có ít nhất 10 ký tự", `value="nguyen.lan"`,
		`<section class="card" id="new-user">`, `action="/admin/users#new-user"`)
	user.Set("password", "mat-khau-du-dai")
	if loc := adm.post("/admin/users", user).redirects("/admin/users?commune=xa-yen-dong&created=nguyen.lan").Header.Get("Location"); !strings.HasSuffix(loc, "#top") {
		t.Errorf("after creating a user: %s, want it to open at the top", loc)
	}
	adm.get("/admin/users?commune=xa-yen-dong&created=nguyen.lan").want(200).sound().
		has("Người dùng – Xã Yên Đồng", "Đã tạo tài khoản nguyen.lan.", "Nguyễn Thị Lan", "Biên tập viên")
	adm.post("/admin/users", user).want(422).has("Tên đăng nhập này đã có người dùng.")
	adm.get("/admin/users").want(200).lacks("Nguyễn Thị Lan")

	// The new user signs in through the form and lands in their own commune.
	nb := newBrowser(t, e)
	nb.post("/login", url.Values{"username": {"nguyen.lan"}, "password": {"mat-khau-du-dai"}}).redirects("/")
	nb.get("/calendar").want(200).has("Nguyễn Thị Lan")
	nb.get("/campaigns/" + gbv2026).want(404)
	nb.get("/calendar?commune=lien-minh").want(403)
}

func TestProvinceReadsEveryCommune(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	if _, err := e.App.Accounts.CreateCommune(t.Context(), "gia-vien", "Xã Gia Viễn"); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Campaigns.Seed(t.Context(), "gia-vien"); err != nil {
		t.Fatal(err)
	}
	b := as(t, e, accounts.RoleProvince, "lien-minh")
	p := b.get("/calendar?commune=gia-vien&month=2026-11").want(200).sound()
	p.has(`<option value="gia-vien" selected>Xã Gia Viễn</option>`, `href="/campaigns/gia-vien-gbv-month-2026?commune=gia-vien"`,
		`href="/calendar?commune=gia-vien&amp;month=2026-12"`, `href="/calendar?commune=gia-vien"`)
	b.get("/campaigns/gia-vien-gbv-month-2026?commune=gia-vien").want(200).has("Đang xem xã: <b>Xã Gia Viễn</b>").lacks("Sửa chiến dịch")
	b.get("/campaigns/gia-vien-gbv-month-2026").want(404)
	b.get("/calendar?commune=nowhere").want(404)
}

func TestSubscriptionLinkOpensTheFeed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleOperator, "lien-minh")
	p := b.post("/calendar/subscribe", nil).want(200).sound()
	if p.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("token page cache control %q", p.Header.Get("Cache-Control"))
	}
	m := regexp.MustCompile(`value="(http://[^"]+/api/v1/calendar\.ics\?token=([^"]+))"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no feed URL: %s", p.Body)
	}
	p.has(`href="webcal://`, "Mở trong ứng dụng Lịch", "Đã tạo liên kết đăng ký")
	feed := e.Do("GET", "/api/v1/calendar.ics?from=2026-11-01&to=2026-11-30&token="+m[2], "", nil).Want(200)
	if !strings.Contains(string(feed.Body), "BEGIN:VCALENDAR") {
		t.Fatalf("feed %s", feed.Body)
	}
}

func TestStaticFilesAreChecksummedAndCached(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := newBrowser(t, e)
	p := b.get("/login").want(200)
	for _, re := range []string{`href="(/static/app\.[0-9a-f]{10}\.css)"`, `src="(/static/app\.[0-9a-f]{10}\.js)"`, `href="(/static/icon\.[0-9a-f]{10}\.svg)"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no %s in the page", re)
		}
		s := b.get(m[1]).want(200)
		if cc := s.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", m[1], cc)
		}
		checkSecurityHeaders(t, s.Response)
		req, _ := http.NewRequest("GET", e.Server.URL+m[1], nil)
		req.Header.Set("If-None-Match", s.Header.Get("ETag"))
		b.do(req).want(http.StatusNotModified)
	}
	b.get("/static/app.0000000000.css").want(404)
	checkSecurityHeaders(t, e.Do("GET", "/healthz", "", nil).Response)
	checkSecurityHeaders(t, e.Do("GET", "/api/v1/me", "", nil).Response)
}

func TestSignedOutVisitsGoToLogin(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := newBrowser(t, e)
	b.get("/").redirects("/login")
	b.get("/campaigns/" + gbv2026 + "?x=1").redirects("/login?next=%2Fcampaigns%2F" + gbv2026 + "%3Fx%3D1")
	// An expired session is signed out too.
	b.setSession(e.User(accounts.RoleEditor, "lien-minh"))
	b.get("/calendar").want(200)
	e.Clock.Advance(31 * 24 * time.Hour)
	b.get("/calendar").redirects("/login?next=%2Fcalendar")
}

// TestCalendarCutsBusyDays: a day with more entries than a page should
// carry lists the first ones and links to the month with that day in full.
func TestCalendarCutsBusyDays(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	for i := range 15 {
		e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "post",
			"title": fmt.Sprintf("Thông điệp số %02d", i+1), "body": "Bài đăng.", "audiences": []string{"residents"},
			"channels": []string{"facebook"}, "schedule": map[string]any{"at": fmt.Sprintf("2026-11-23T07:%02d:00+07:00", i)},
		}).Want(201)
	}
	b := as(t, e, accounts.RoleManager, "lien-minh")
	p := b.get("/calendar?month=2026-11").want(200).sound()
	p.has("Thông điệp số 01", "Thông điệp số 05", `<a href="/calendar?month=2026-11&amp;day=2026-11-23#day">Xem thêm 10 nội dung của ngày này</a>`,
		`<a href="/calendar?month=2026-11&amp;day=2026-11-23#day">&#43;11 nội dung khác</a>`).lacks("Thông điệp số 06", `id="day"`)
	full := b.get("/calendar?month=2026-11&day=2026-11-23").want(200).sound()
	full.has(`id="day"`, "Thông điệp số 13", "Thông điệp số 15").lacks("Xem thêm", "nội dung khác", " hid")
	b.get("/lang?to=en&next=/calendar").redirects("/calendar")
	b.get("/calendar?month=2026-11").want(200).has(">See 10 more items of this day</a>", "&#43;11 more</a>")
}
