package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/web"
)

func station(t *testing.T, e *apptest.Env, name, village string) string {
	t.Helper()
	var st struct{ ID string }
	e.Do("POST", "/api/v1/stations", e.Admin(), map[string]any{"name": name, "village": village, "households": 100}).Want(201).JSON(&st)
	return st.ID
}

// signInForm signs in through the sign-in form and returns the answer.
func signInForm(t *testing.T, b *browser, username, password, next string) *page {
	t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}, "next": {next}})
}

// TestAdminGivesAStationToAnOperatorMadeOnThePage: last round an operator
// made on the users page could never be given a station. Now the create
// form and the user's page both offer the stations (to operators only), and
// the operator lands on their rundown.
func TestAdminGivesAStationToAnOperatorMadeOnThePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	dong, tay := station(t, e, "Cụm loa Thôn Đông", "Thôn Đông"), station(t, e, "Cụm loa Thôn Tây", "Thôn Tây")
	adm := as(t, e, accounts.RoleAdmin, "lien-minh")
	adm.get("/admin/users").want(200).sound().has(`name="station_ids" value="`+dong+`"`, "Cụm loa phụ trách", "Đang hoạt động")

	// Made an editor with a box ticked: the hidden boxes do not count.
	form := url.Values{"username": {"bien-tap"}, "display_name": {"Nguyễn Thị Hoa"}, "role": {"editor"}, "password": {"song-nuoc-que-huong"},
		"station_ids": {dong}}
	adm.post("/admin/users", form).redirects("/admin/users?")
	ed := e.UserID("bien-tap")
	// Made an operator without a station, then given two on their page.
	form = url.Values{"username": {"van-hanh"}, "display_name": {"Lê Văn Tuấn"}, "role": {"operator"}, "password": {"song-nuoc-que-huong"}}
	adm.post("/admin/users", form).redirects("/admin/users?")
	op := e.UserID("van-hanh")
	adm.get("/admin/users").want(200).has(`href="/admin/users/`+op+`"`, "Chưa đăng nhập")
	p := adm.get("/admin/users/" + op).want(200).sound()
	p.has("Lê Văn Tuấn", `<option value="operator" selected>`, `name="station_ids" value="`+dong+`"`, "Cụm loa Thôn Tây</label>",
		"Đặt lại mật khẩu", "Vô hiệu hóa tài khoản…").lacks(" checked>")
	adm.post("/admin/users/"+op, url.Values{"display_name": {"Lê Văn Tuấn"}, "role": {"operator"}, "station_ids": {dong, tay}}).
		redirects("/admin/users/" + op + "?done=saved")
	adm.get("/admin/users/"+op+"?done=saved").want(200).has("Đã lưu thay đổi.", `value="`+dong+`" checked>`, `value="`+tay+`" checked>`)
	adm.get("/admin/users").want(200).has("Cụm loa Thôn Đông, Cụm loa Thôn Tây")
	// The editor made an operator in the same form gets the station ticked there.
	adm.post("/admin/users/"+ed, url.Values{"display_name": {"Nguyễn Thị Hoa"}, "role": {"operator"}, "station_ids": {tay}}).redirects("/admin/users/")
	u, err := e.App.Accounts.GetUser(apptest.Scoped("lien-minh"), ed)
	if err != nil || u.Role != accounts.RoleOperator || !slices.Equal(u.StationIDs, []string{tay}) {
		t.Fatalf("editor made operator: %+v %v", u, err)
	}
	// Errors stay on the page with what was typed.
	adm.post("/admin/users/"+op, url.Values{"display_name": {strings.Repeat("ư", 121)}, "role": {"operator"}, "station_ids": {dong}}).
		want(http.StatusUnprocessableEntity).sound().has("Tên hiển thị tối đa 120 ký tự.", `value="`+dong+`" checked>`)
	adm.post("/admin/users/x-unknown", url.Values{"role": {"editor"}}).want(404)

	// The operator signs in and lands on a station chooser (two stations),
	// then with one station straight on its rundown.
	ob := newBrowser(t, e)
	signInForm(t, ob, "van-hanh", "song-nuoc-que-huong", "").redirects("/stations")
	ob.get("/stations").want(200).has("Cụm loa Thôn Đông", "Cụm loa Thôn Tây")
	ob.get("/login").redirects("/stations")
	adm.post("/admin/users/"+op, url.Values{"display_name": {"Lê Văn Tuấn"}, "role": {"operator"}, "station_ids": {dong}}).redirects("/admin/users/")
	ob.get("/login").redirects("/stations/" + dong + "/rundown")
	ob2 := newBrowser(t, e)
	signInForm(t, ob2, "van-hanh", "song-nuoc-que-huong", "").redirects("/stations/" + dong + "/rundown")
	ob2.get("/stations/" + dong + "/rundown").want(200).has("Cụm loa Thôn Đông")
	// A page asked for still wins.
	signInForm(t, newBrowser(t, e), "van-hanh", "song-nuoc-que-huong", "/calendar?month=2026-12").redirects("/calendar?month=2026-12")
	// An operator with no station is told so on the chooser.
	e.UserNamed("khong-tram", accounts.RoleOperator, "lien-minh")
	nb := newBrowser(t, e)
	signInForm(t, nb, "khong-tram", apptest.Password, "").redirects("/stations")
	nb.get("/stations").want(200).has("Bạn chưa được giao cụm loa nào.")
}

// TestDisablingAndResettingOnTheUserPage: disabling asks first and ends the
// user's open session at their next click; a reset shows the temporary
// password once; an admin cannot disable themselves.
func TestDisablingAndResettingOnTheUserPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	adm := newBrowser(t, e)
	adm.setSession(e.Admin())
	user := as(t, e, accounts.RoleEditor, "lien-minh")
	user.get("/calendar").want(200)
	id := e.UserID("editor-lien-minh")
	adm.post("/admin/users/"+id+"/state", url.Values{"disabled": {"1"}}).redirects("/admin/users/" + id + "?done=disabled")
	adm.get("/admin/users/"+id+"?done=disabled").want(200).sound().
		has("Đã vô hiệu hóa tài khoản.", "Đã vô hiệu hóa", "Kích hoạt lại tài khoản…").lacks("Vô hiệu hóa tài khoản…")
	user.get("/calendar").redirects("/login?next=%2Fcalendar&ended=1")
	user.get("/login?next=%2Fcalendar&ended=1").want(200).sound().has("Phiên đăng nhập của bạn đã kết thúc.")
	signInForm(t, newBrowser(t, e), "editor-lien-minh", apptest.Password, "").want(http.StatusUnauthorized).has("Tên đăng nhập hoặc mật khẩu không đúng.")
	adm.post("/admin/users/"+id+"/state", url.Values{"disabled": {"0"}}).redirects("/admin/users/" + id + "?done=enabled")
	signInForm(t, newBrowser(t, e), "editor-lien-minh", apptest.Password, "").redirects("/")

	self := e.UserID("admin")
	adm.get("/admin/users/" + self).want(200).has("Đây là tài khoản của bạn").lacks("Vô hiệu hóa tài khoản…")
	adm.post("/admin/users/"+self+"/state", url.Values{"disabled": {"1"}}).want(http.StatusConflict).sound().
		has("Bạn không thể tự vô hiệu hóa tài khoản của mình")
	adm.post("/admin/users/"+self, url.Values{"display_name": {"Quản trị viên"}, "role": {"editor"}}).
		want(http.StatusUnprocessableEntity).has("quản trị viên cuối cùng còn hoạt động")

	// The page suggests a temporary password; the admin may type another.
	p := adm.get("/admin/users/" + id).want(200)
	m := regexp.MustCompile(`id="new-password" name="password" class="secret" value="([a-z0-9-]{14})"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no suggested password on the page:\n%s", p.Body)
	}
	adm.post("/admin/users/"+id+"/password", url.Values{"password": {"123456789"}}).want(http.StatusUnprocessableEntity).
		has("Mật khẩu phải có ít nhất 10 ký tự")
	res := adm.post("/admin/users/"+id+"/password", url.Values{"password": {m[1]}}).want(200).sound()
	res.has("Mật khẩu tạm thời của editor-lien-minh:", `value="`+m[1]+`" readonly`, "chỉ hiện một lần", "Đặt mật khẩu khác").
		lacks(`id="new-password"`) // no second password to mistake for the one set
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the temporary password is cached: %q", cc)
	}
	adm.get("/admin/users").want(200).has("Chờ đổi mật khẩu")
	if _, _, err := e.App.Accounts.Login(t.Context(), "editor-lien-minh", m[1], "test"); err != nil {
		t.Errorf("the temporary password: %v", err)
	}
}

// TestPasswordChangeComesFirst: signed in with a reset password, every
// page leads to the password form, which explains why; once changed the
// user goes on, and their other sessions are gone.
func TestPasswordChangeComesFirst(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st := station(t, e, "Cụm loa Thôn Đông", "Thôn Đông")
	e.UserNamed("van-hanh", accounts.RoleOperator, "lien-minh", st)
	if err := e.App.Accounts.ResetPassword(apptest.Scoped("lien-minh"), accounts.Principal{Username: "admin"}, e.UserID("van-hanh"), "mua-ram-thang-gieng"); err != nil {
		t.Fatal(err)
	}
	other := newBrowser(t, e)
	signInForm(t, other, "van-hanh", "mua-ram-thang-gieng", "").redirects("/account#password")
	b := newBrowser(t, e)
	signInForm(t, b, "van-hanh", "mua-ram-thang-gieng", "/calendar").redirects("/account#password")
	p := b.get("/account").want(200).sound()
	p.has("Hãy đổi mật khẩu trước khi tiếp tục", "Quản trị viên đã đặt lại mật khẩu của bạn", "Mật khẩu tạm thời", "Đăng xuất").
		lacks(`<nav class="nav"`, "Đăng xuất ở mọi nơi khác")
	// Every page but the password form, its post and signing out leads back here.
	walked := 0
	for _, rt := range (&web.Server{}).Routes() {
		if rt.Access.Public || rt.Access.DuringPasswordChange {
			continue
		}
		path := strings.NewReplacer(":id", "x-unknown", ":token_id", "x").Replace(rt.Path)
		got := b.get(path)
		if rt.Method == http.MethodPost {
			got = b.post(path, url.Values{"csrf": {accountCSRF(t, b)}})
		}
		if got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/account#password" {
			t.Errorf("%s %s while the password must change: %d to %q", rt.Method, rt.Path, got.StatusCode, got.Header.Get("Location"))
		}
		walked++
	}
	if walked < 40 {
		t.Errorf("only %d pages walked", walked)
	}
	b.post("/account/password", url.Values{"csrf": {accountCSRF(t, b)}, "current_password": {"mua-ram-thang-gieng"}, "new_password": {"song-nuoc-que-huong"},
		"new_password2": {"song-nuoc-que-huon"}}).want(http.StatusUnprocessableEntity).has("Hai lần nhập mật khẩu mới không giống nhau.")
	b.post("/account/password", url.Values{"csrf": {accountCSRF(t, b)}, "current_password": {"sai-mat-khau-roi"}, "new_password": {"song-nuoc-que-huong"},
		"new_password2": {"song-nuoc-que-huong"}}).want(http.StatusUnprocessableEntity).has("Mật khẩu hiện tại không đúng.")
	b.post("/account/password", url.Values{"csrf": {accountCSRF(t, b)}, "current_password": {"mua-ram-thang-gieng"}, "new_password": {"1234567890"},
		"new_password2": {"1234567890"}}).want(http.StatusUnprocessableEntity).has("không phải mật khẩu phổ biến dễ đoán")
	b.post("/account/password", url.Values{"csrf": {accountCSRF(t, b)}, "current_password": {"mua-ram-thang-gieng"}, "new_password": {"song-nuoc-que-huong"},
		"new_password2": {"song-nuoc-que-huong"}}).redirects("/account?done=password")
	p = b.get("/account?done=password").want(200).sound()
	p.has("Đã đổi mật khẩu.", `<nav class="nav"`, `href="/stations/`+st+`/rundown">Tiếp tục làm việc`)
	b.get("/calendar").want(200)
	other.get("/account").redirects("/login")
}

// accountCSRF reads the form token from the account page, the one page a
// user whose password must change can open.
func accountCSRF(t *testing.T, b *browser) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(b.get("/account").want(200).Body)
	if m == nil {
		t.Fatal("no csrf field on the account page")
	}
	return m[1]
}

// TestAccountPageSignsOutElsewhereAndRenewsTheCalendarLink: any signed-in
// user's own page.
func TestAccountPageSignsOutElsewhereAndRenewsTheCalendarLink(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleManager, "lien-minh")
	phone := newBrowser(t, e)
	signInForm(t, phone, "manager-lien-minh", apptest.Password, "").redirects("/")
	p := b.get("/account").want(200).sound()
	p.has("Tài khoản của tôi", "manager-lien-minh", "Lãnh đạo phê duyệt", "bạn đang đăng nhập trên 1 thiết bị hoặc trình duyệt khác",
		`<a href="/account" aria-current="page">Tài khoản</a>`)
	b.post("/account/sessions", nil).redirects("/account?done=sessions&n=1")
	b.get("/account?done=sessions&n=1").want(200).has("Đã đăng xuất 1 phiên trên các thiết bị khác.", "Bạn chỉ đang đăng nhập trên thiết bị này.")
	phone.get("/calendar").redirects("/login")

	first := b.post("/account/calendar", nil).want(200).sound()
	re := regexp.MustCompile(`id="feed" value="([^"]+)"`)
	m := re.FindStringSubmatch(first.Body)
	if m == nil || first.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("no calendar link shown once: %s", first.Header.Get("Cache-Control"))
	}
	oldFeed := strings.ReplaceAll(m[1], "&amp;", "&")
	e.Send(mustRequest(t, oldFeed)).Want(200)
	m = re.FindStringSubmatch(b.post("/account/calendar", nil).want(200).Body)
	e.Send(mustRequest(t, oldFeed)).Want(401)
	e.Send(mustRequest(t, strings.ReplaceAll(m[1], "&amp;", "&"))).Want(200)

	// Changing the password ends the other sessions and keeps this one.
	phone = newBrowser(t, e)
	signInForm(t, phone, "manager-lien-minh", apptest.Password, "").redirects("/")
	b.post("/account/password", url.Values{"current_password": {apptest.Password}, "new_password": {apptest.Password},
		"new_password2": {apptest.Password}}).want(http.StatusUnprocessableEntity).has("Mật khẩu mới phải khác mật khẩu hiện tại.")
	b.post("/account/password", url.Values{"current_password": {apptest.Password}, "new_password": {"song-nuoc-que-huong"},
		"new_password2": {"song-nuoc-que-huong"}}).redirects("/account?done=password")
	phone.get("/calendar").redirects("/login")
	b.get("/calendar").want(200)
	b.setCookie("lang", "en")
	b.get("/account").want(200).has("My account", "Change password", "Sign out everywhere else")
}

func mustRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestStationDeviceTokensOnTheStationPage: an admin issues a token (shown
// once, copyable), sees it listed without its secret, and revokes it.
func TestStationDeviceTokensOnTheStationPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st := station(t, e, "Cụm loa Thôn Đông", "Thôn Đông")
	adm := as(t, e, accounts.RoleAdmin, "lien-minh")
	adm.get("/admin/stations").want(200).has(`href="/admin/stations/` + st + `#tokens">Mã thiết bị</a>`)
	adm.get("/admin/stations/"+st).want(200).sound().has("Mã thiết bị của cụm loa", "Cụm loa chưa có mã thiết bị nào.", "Tạo mã thiết bị mới")
	res := adm.post("/admin/stations/"+st+"/tokens", nil).want(200).sound()
	m := regexp.MustCompile(`id="device-token" value="(lts_[A-Za-z0-9_-]+)"`).FindStringSubmatch(res.Body)
	if m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("no token shown once:\n%s", res.Body)
	}
	res.has("Mã chỉ hiện một lần", "/api/v1/stations/"+st+"/rundown", "Chưa dùng")
	e.Do("GET", "/api/v1/stations/"+st+"/rundown", m[1], nil).Want(200)
	list := adm.get("/admin/stations/" + st).want(200).lacks(m[1])
	tok := regexp.MustCompile(`<code>([0-9a-f]{24})</code>`).FindStringSubmatch(list.Body)
	if tok == nil {
		t.Fatalf("the token is not listed:\n%s", list.Body)
	}
	list.lacks("Chưa dùng") // used once, by the rundown above
	adm.post("/admin/stations/"+st+"/tokens/"+tok[1]+"/revoke", nil).redirects("/admin/stations/" + st + "?revoked=1#tokens")
	adm.get("/admin/stations/"+st+"?revoked=1").want(200).has("Đã thu hồi mã thiết bị.", "Cụm loa chưa có mã thiết bị nào.")
	e.Do("GET", "/api/v1/stations/"+st+"/rundown", m[1], nil).Want(401)
	adm.post("/admin/stations/"+st+"/tokens/"+tok[1]+"/revoke", nil).want(404)
	// Editors edit stations but never see their tokens.
	as(t, e, accounts.RoleEditor, "lien-minh").get("/admin/stations/" + st).want(200).lacks("Mã thiết bị")
	var audit []struct{ Action, Actor string }
	e.Do("GET", "/api/v1/audit", e.Admin(), nil).Want(200).JSON(&audit)
	var got []string
	for _, a := range audit {
		if strings.HasPrefix(a.Action, "station.token.") {
			got = append(got, a.Action+" by "+a.Actor)
		}
	}
	if strings.Join(got, ",") != "station.token.revoke by admin-lien-minh,station.token.issue by admin-lien-minh" {
		t.Errorf("audit %v", got)
	}
}
