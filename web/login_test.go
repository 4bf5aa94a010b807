package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
)

func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "lantoa_session" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", res.Header["Set-Cookie"])
	return nil
}

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.User(accounts.RoleManager, "lien-minh")
	b := newBrowser(t, e)
	b.get("/campaigns/lien-minh-evaw-day-2026").redirects("/login?next=")
	b.get("/login?next=%2Fcampaigns%2Flien-minh-evaw-day-2026").want(200).has(`value="/campaigns/lien-minh-evaw-day-2026"`)

	wrong := url.Values{"username": {"manager-lien-minh"}, "password": {"sai-mat-khau-roi"}, "next": {"/campaigns/lien-minh-evaw-day-2026"}}
	b.post("/login", wrong).want(http.StatusUnauthorized).sound().
		has("Tên đăng nhập hoặc mật khẩu không đúng.", `value="manager-lien-minh"`).lacks("sai-mat-khau-roi")

	right := url.Values{"username": {"Manager-Lien-Minh "}, "password": {apptest.Password}, "next": {"/campaigns/lien-minh-evaw-day-2026"}}
	res := b.post("/login", right).redirects("/campaigns/lien-minh-evaw-day-2026")
	ck := sessionCookie(t, res.Response)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" || ck.MaxAge <= 0 {
		t.Errorf("session cookie %+v", ck)
	}
	b.get("/campaigns/lien-minh-evaw-day-2026").want(200).has("Lãnh đạo phê duyệt", "Đăng xuất")
	b.get("/login").redirects("/")
	// The same cookie signs in to the API.
	req, _ := http.NewRequest("GET", e.Server.URL+"/api/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: "lantoa_session", Value: ck.Value})
	e.Send(req).Want(200)

	b.post("/logout", nil).redirects("/login")
	b.get("/calendar").redirects("/login")
	req, _ = http.NewRequest("GET", e.Server.URL+"/api/v1/me", nil)
	req.AddCookie(&http.Cookie{Name: "lantoa_session", Value: ck.Value})
	e.Send(req).Want(401)
}

func TestLoginNeverRedirectsAway(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	for _, next := range []string{"https://evil.example/x", "//evil.example/x", `/\evil.example`, "javascript:alert(1)", "/login"} {
		b := newBrowser(t, e)
		b.post("/login", url.Values{"username": {"editor-lien-minh"}, "password": {apptest.Password}, "next": {next}}).redirects("/")
	}
}

func TestLoginRateLimitShowsItsMessage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	b := newBrowser(t, e)
	wrong := url.Values{"username": {"editor-lien-minh"}, "password": {"khong-dung-dau"}}
	for range 5 {
		b.post("/login", wrong).want(http.StatusUnauthorized)
	}
	p := b.post("/login", wrong).want(http.StatusTooManyRequests).sound()
	p.has("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút.", `role="alert"`)
	// Even the right password waits out the window.
	right := url.Values{"username": {"editor-lien-minh"}, "password": {apptest.Password}}
	b.post("/login", right).want(http.StatusTooManyRequests)
	b.setCookie("lang", "en")
	b.post("/login", right).want(http.StatusTooManyRequests).has("Too many failed sign-ins. Please try again in 15 minutes.")
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.BaseURL = "https://lantoa.example" })
	e.User(accounts.RoleEditor, "lien-minh")
	b := newBrowser(t, e)
	res := b.post("/login", url.Values{"username": {"editor-lien-minh"}, "password": {apptest.Password}}).redirects("/")
	if ck := sessionCookie(t, res.Response); !ck.Secure || !ck.HttpOnly {
		t.Errorf("cookie behind https: %+v", ck)
	}
	// The configured public host counts as our own origin too.
	tok := e.User(accounts.RoleEditor, "lien-minh")
	b2 := newBrowser(t, e)
	b2.setSession(tok)
	b2.origin = "https://lantoa.example"
	b2.post("/calendar/subscribe", nil).want(200).has("https://lantoa.example/api/v1/calendar.ics?token=")
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := as(t, e, accounts.RoleEditor, "lien-minh")
	form := func(csrf string) url.Values {
		v := url.Values{"title": {"Chiến dịch thử"}, "start": {"2026-12-01"}, "end": {"2026-12-02"}}
		if csrf != "-" {
			v.Set("csrf", csrf)
		}
		return v
	}
	good := b.csrf()
	b.postRaw("/campaigns/new", form("-"), b.origin).want(403).sound().has("thiếu mã bảo vệ")
	b.postRaw("/campaigns/new", form("sai"), b.origin).want(403)
	b.postRaw("/campaigns/new", form(good), "https://evil.example").want(403)
	b.postRaw("/campaigns/new", form(good), "").want(403) // neither Origin nor Referer
	// Another user's token is no good either.
	other := as(t, e, accounts.RoleAdmin, "lien-minh").csrf()
	b.postRaw("/campaigns/new", form(other), b.origin).want(403)
	b.postRaw("/logout", url.Values{"csrf": {"sai"}}, b.origin).want(403)
	b.get("/calendar").want(200) // still signed in
	b.postRaw("/campaigns/new", form(good), b.origin).redirects("/campaigns/")

	// The sign-in form: same origin and the double-submit cookie.
	e.User(accounts.RoleManager, "lien-minh")
	l := newBrowser(t, e)
	creds := url.Values{"username": {"manager-lien-minh"}, "password": {apptest.Password}}
	l.postRaw("/login", creds, l.origin).want(403) // no form token, no cookie
	creds.Set("csrf", l.csrf())
	l.postRaw("/login", creds, "https://evil.example").want(403)
	bad := url.Values{"username": creds["username"], "password": creds["password"], "csrf": {strings.Repeat("A", 43)}}
	l.postRaw("/login", bad, l.origin).want(403)
	l.postRaw("/login", creds, l.origin).redirects("/")

	// A huge form is refused before it is read.
	big := url.Values{"csrf": {good}, "title": {strings.Repeat("x", 70<<10)}}
	b.postRaw("/campaigns/new", big, b.origin).want(http.StatusRequestEntityTooLarge)
}
