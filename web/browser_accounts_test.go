package web_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// screen is one size the account pages are tried at.
type screen struct {
	name          string
	width, height int64
	phone         bool
}

var accountScreens = []screen{{"390", 390, 844, true}, {"1280", 1280, 800, false}}

func (sc screen) emulate(t *testing.T, ctx context.Context) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if sc.phone {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sc.width, sc.height, opts...)); err != nil {
		t.Fatal(err)
	}
}

// run does the actions, failing the test with what was being done.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.pathname + location.search + location.hash`)
}

// otherPerson opens a second browser with its own cookies, as a second
// person on their own phone or computer.
func otherPerson(t *testing.T, ctx context.Context, sc screen) context.Context {
	t.Helper()
	u, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	sc.emulate(t, u)
	return u
}

// typeSignIn signs in on the form and waits for the page signing in leads to.
func typeSignIn(t *testing.T, ctx context.Context, base, username, password string) {
	t.Helper()
	run(t, ctx, "signing in as "+username, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username), chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".who form")))
}

func displayed(t *testing.T, ctx context.Context, css string) bool {
	t.Helper()
	return eval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.offsetWidth > 0 && e.offsetHeight > 0; })()`, css))
}

// inView fails unless the element with id is on screen: a form posted from
// low on a page must answer there, not at the top of a long phone page.
func inView(t *testing.T, ctx context.Context, id, what string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const r = document.getElementById(%q).getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; })()`, id)
	if !eval[bool](t, ctx, js) {
		t.Errorf("%s: #%s is off screen", what, id)
	}
}

// TestBrowserAccountLife: SPEC §6.1 in a real browser at 390×844 and
// 1280 wide. An admin makes an operator on the users page, gives them a
// station on their page (and makes an editor an operator with a station in
// one form); the operator signs in and lands on that station's rundown.
// Disabled, the operator's open page is refused at the next click; given a
// temporary password, they must change it before anything else.
func TestBrowserAccountLife(t *testing.T) {
	t.Parallel()
	for _, sc := range accountScreens {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			accountLife(t, sc)
		})
	}
}

func accountLife(t *testing.T, sc screen) {
	ctx := chromeFor(t, 3*time.Minute) // some thirty pages, two browsers
	e := apptest.New(t)
	base := e.Server.URL
	dong, tay := station(t, e, "Cụm loa Thôn Đông", "Thôn Đông"), station(t, e, "Cụm loa Thôn Tây", "Thôn Tây")
	e.UserNamed("bien-tap", accounts.RoleEditor, "lien-minh")
	sc.emulate(t, ctx)
	signIn(t, ctx, base, "admin")
	stationsOnTheUserPages(t, ctx, e, sc, dong, tay)
	op := operatorLands(t, ctx, e, sc, dong)
	opID, temp := disableThenReset(t, ctx, op, e, sc)
	forcedChange(t, op, e, sc, temp, dong)
	if sc.phone {
		narrow(t, ctx, base+"/admin/users", "users")
		narrow(t, ctx, base+"/admin/users/"+opID, "user-page")
		narrow(t, op, base+"/account", "account")
	}
}

// stationsOnTheUserPages: the station boxes show only once "operator" is
// chosen; an operator made without one is given one on their page, and an
// editor made an operator gets one in the same form.
func stationsOnTheUserPages(t *testing.T, ctx context.Context, e *apptest.Env, sc screen, dong, tay string) {
	base := e.Server.URL
	run(t, ctx, "opening the users page", chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible(chromedp.ID("username")))
	if displayed(t, ctx, "fieldset.op-only") {
		t.Error("the station boxes show for an editor")
	}
	run(t, ctx, "making an operator", chromedp.SendKeys(chromedp.ID("username"), "van-hanh"),
		chromedp.SendKeys(chromedp.ID("display_name"), "Lê Văn Tuấn"), chromedp.SetValue(chromedp.ID("role"), "operator"))
	if !displayed(t, ctx, "fieldset.op-only") {
		t.Error("the station boxes do not show for an operator")
	}
	checkLayout(t, ctx, "users@"+sc.name)
	shoot(t, ctx, "users-form-"+sc.name)
	run(t, ctx, "creating the operator", chromedp.SendKeys(chromedp.ID("password"), "song-nuoc-que-huong"),
		chromedp.Click(chromedp.CSS(`form.stack button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	checkLayout(t, ctx, "users list@"+sc.name)
	shoot(t, ctx, "users-list-"+sc.name)

	// Their page: tick a station and save.
	run(t, ctx, "opening the operator's page", chromedp.Click(chromedp.Search(`//a[normalize-space(.)="van-hanh"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[value="`+dong+`"]`)))
	run(t, ctx, "giving a station", chromedp.Click(chromedp.CSS(`input[value="`+dong+`"]`)),
		chromedp.Click(chromedp.CSS(`form.stack .actions button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	if !eval[bool](t, ctx, `document.querySelector('input[value="`+dong+`"]').checked`) {
		t.Error("the station is not ticked after saving")
	}
	checkLayout(t, ctx, "user page@"+sc.name)
	shoot(t, ctx, "user-page-"+sc.name)

	// An editor made an operator in the same form gets the boxes and a station.
	run(t, ctx, "opening the editor's page", chromedp.Navigate(base+"/admin/users"),
		chromedp.Click(chromedp.Search(`//a[normalize-space(.)="bien-tap"]`)), chromedp.WaitVisible(chromedp.ID("role")))
	if displayed(t, ctx, "fieldset.op-only") {
		t.Error("an editor's page shows the station boxes")
	}
	run(t, ctx, "making the editor an operator", chromedp.SetValue(chromedp.ID("role"), "operator"),
		chromedp.WaitVisible(chromedp.CSS(`input[value="`+tay+`"]`)), chromedp.Click(chromedp.CSS(`input[value="`+tay+`"]`)),
		chromedp.Click(chromedp.CSS(`form.stack .actions button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	if u, err := e.App.Accounts.GetUser(apptest.Scoped("lien-minh"), e.UserID("bien-tap")); err != nil ||
		u.Role != accounts.RoleOperator || !slices.Equal(u.StationIDs, []string{tay}) {
		t.Errorf("the editor made an operator is %+v (%v)", u, err)
	}

}

// operatorLands: the operator, on their own phone, lands on their
// station's rundown; it returns their browser.
func operatorLands(t *testing.T, ctx context.Context, e *apptest.Env, sc screen, dong string) context.Context {
	base := e.Server.URL
	op := otherPerson(t, ctx, sc)
	typeSignIn(t, op, base, "van-hanh", "song-nuoc-que-huong")
	if got := location(t, op); got != "/stations/"+dong+"/rundown" {
		t.Errorf("the operator landed on %s", got)
	}
	if h := eval[string](t, op, `document.querySelector("main h1").textContent`); !strings.Contains(h, "Cụm loa Thôn Đông") {
		t.Errorf("the landing page's heading is %q", h)
	}
	checkLayout(t, op, "operator landing@"+sc.name)
	shoot(t, op, "operator-landing-"+sc.name)
	return op
}

// disableThenReset: disabled (asked first), the operator's next click is
// refused; enabled again, they are given a temporary password, shown once.
// It returns the operator's id and temporary password.
func disableThenReset(t *testing.T, ctx, op context.Context, e *apptest.Env, sc screen) (opID, temp string) {
	base := e.Server.URL
	opID = e.UserID("van-hanh")
	run(t, ctx, "disabling", chromedp.Navigate(base+"/admin/users/"+opID), chromedp.WaitVisible(chromedp.CSS(`details.bad summary`)),
		chromedp.Click(chromedp.CSS(`details.bad summary`)), chromedp.WaitVisible(chromedp.CSS(`button.danger`)))
	checkLayout(t, ctx, "disable confirmation@"+sc.name)
	shoot(t, ctx, "user-disable-confirm-"+sc.name)
	run(t, ctx, "confirming", chromedp.Click(chromedp.CSS(`button.danger`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	run(t, op, "the disabled operator's next click", chromedp.Click(chromedp.CSS(`nav a[href="/calendar"]`)),
		chromedp.WaitVisible(chromedp.ID("password")))
	if got := location(t, op); got != "/login?next=%2Fcalendar&ended=1" {
		t.Errorf("the disabled operator's click led to %s", got)
	}
	if got := eval[string](t, op, `document.querySelector("main .note").textContent`); got != "Phiên đăng nhập của bạn đã kết thúc. Vui lòng đăng nhập lại." {
		t.Errorf("the sign-in page says %q", got)
	}
	shoot(t, op, "disabled-refused-"+sc.name)

	// Enabled again with a temporary password, shown once.
	run(t, ctx, "enabling", chromedp.Click(chromedp.CSS(`#state details summary`)), chromedp.WaitVisible(chromedp.CSS(`#state button.primary`)),
		chromedp.Click(chromedp.CSS(`#state button.primary`)), chromedp.WaitVisible(chromedp.CSS(`details.bad summary`)))
	temp = eval[string](t, ctx, `document.getElementById("new-password").value`)
	run(t, ctx, "resetting the password", chromedp.Click(chromedp.CSS(`#password button`)), chromedp.WaitVisible(chromedp.ID("temp-password")))
	if got := eval[string](t, ctx, `document.getElementById("temp-password").value`); got != temp || len(temp) != 14 {
		t.Errorf("temporary password shown %q, suggested %q", got, temp)
	}
	inView(t, ctx, "temp-password", "the temporary password")
	checkLayout(t, ctx, "reset@"+sc.name)
	shoot(t, ctx, "user-reset-"+sc.name)

	return opID, temp
}

// forcedChange: signing in with the temporary password leads to the
// password form and nowhere else until it is changed; then on to work.
func forcedChange(t *testing.T, op context.Context, e *apptest.Env, sc screen, temp, dong string) {
	base := e.Server.URL
	typeSignIn(t, op, base, "van-hanh", temp)
	if got := location(t, op); got != "/account#password" {
		t.Errorf("signed in with a temporary password, the operator is on %s", got)
	}
	if displayed(t, op, "nav.nav") || !strings.Contains(eval[string](t, op, `document.querySelector("main").textContent`), "Quản trị viên đã đặt lại mật khẩu của bạn") {
		t.Error("the password form does not explain itself, or offers the navigation")
	}
	checkLayout(t, op, "must change@"+sc.name)
	shoot(t, op, "must-change-"+sc.name)
	run(t, op, "trying another page", chromedp.Navigate(base+"/stations/"+dong+"/rundown"), chromedp.WaitVisible(chromedp.ID("new_password")))
	if got := location(t, op); got != "/account#password" {
		t.Errorf("the rundown opened before the change: %s", got)
	}
	run(t, op, "changing the password", chromedp.SendKeys(chromedp.ID("current_password"), temp),
		chromedp.SendKeys(chromedp.ID("new_password"), "mua-ram-thang-gieng"), chromedp.SendKeys(chromedp.ID("new_password2"), "mua-ram-thang-gieng"),
		chromedp.Click(chromedp.CSS(`#password button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	shoot(t, op, "password-changed-"+sc.name)
	run(t, op, "going on to work", chromedp.Click(chromedp.Search(`//a[normalize-space(.)="Tiếp tục làm việc"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[rel=next]`)))
	if got := location(t, op); got != "/stations/"+dong+"/rundown" {
		t.Errorf("after the change the operator went on to %s", got)
	}
}

// narrow checks a page on the narrowest phone the pages promise.
func narrow(t *testing.T, ctx context.Context, u, name string) {
	t.Helper()
	run(t, ctx, "at 360: "+name, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main")))
	checkLayout(t, ctx, name+"@360")
	shoot(t, ctx, name+"-360")
}

// TestBrowserAccountPage: the account page changes the password and signs
// out the user's other sessions; an admin issues a station's device token
// (shown once, copyable) and revokes it.
func TestBrowserAccountPage(t *testing.T) {
	t.Parallel()
	for _, sc := range accountScreens {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			accountPage(t, sc)
		})
	}
}

func accountPage(t *testing.T, sc screen) {
	ctx := chromeFor(t, 3*time.Minute)
	e := apptest.New(t)
	base := e.Server.URL
	dong := station(t, e, "Cụm loa Thôn Đông", "Thôn Đông")
	laptop := e.UserNamed("lanh-dao", accounts.RoleManager, "lien-minh") // a session on another device
	sc.emulate(t, ctx)
	typeSignIn(t, ctx, base, "lanh-dao", apptest.Password)
	run(t, ctx, "opening the account page", chromedp.Click(chromedp.CSS(`nav a[href="/account"]`)), chromedp.WaitVisible(chromedp.ID("sessions")))
	if got := eval[string](t, ctx, `document.querySelector("#sessions p").textContent`); !strings.Contains(got, "trên 1 thiết bị") {
		t.Errorf("sessions: %q", got)
	}
	checkLayout(t, ctx, "account@"+sc.name)
	shoot(t, ctx, "account-"+sc.name)
	run(t, ctx, "signing out everywhere else", chromedp.Click(chromedp.CSS(`#sessions button`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	e.Do("GET", "/api/v1/me", laptop, nil).Want(401)

	phone, _, err := e.App.Accounts.Login(t.Context(), "lanh-dao", apptest.Password, "test-phone")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "a wrong repeat", chromedp.SendKeys(chromedp.ID("current_password"), apptest.Password),
		chromedp.SendKeys(chromedp.ID("new_password"), "song-nuoc-que-huong"), chromedp.SendKeys(chromedp.ID("new_password2"), "song-nuoc-que-huon"),
		chromedp.Click(chromedp.CSS(`#password button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.field-error`)))
	inView(t, ctx, "new_password2", "the password form's error")
	checkLayout(t, ctx, "account errors@"+sc.name)
	shoot(t, ctx, "account-errors-"+sc.name)
	run(t, ctx, "changing the password", chromedp.SendKeys(chromedp.ID("current_password"), apptest.Password),
		chromedp.SendKeys(chromedp.ID("new_password"), "song-nuoc-que-huong"), chromedp.SendKeys(chromedp.ID("new_password2"), "song-nuoc-que-huong"),
		chromedp.Click(chromedp.CSS(`#password button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	inView(t, ctx, "done", "the password changed notice")
	e.Do("GET", "/api/v1/me", phone, nil).Want(401)
	run(t, ctx, "still signed in here", chromedp.Click(chromedp.CSS(`nav a[href="/calendar"]`)), chromedp.WaitVisible(chromedp.CSS(".cal-head")))

	run(t, ctx, "a new calendar link", chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS(`#calendar form button`)),
		chromedp.WaitVisible(chromedp.ID("feed")))
	if feed := eval[string](t, ctx, `document.getElementById("feed").value`); !strings.Contains(feed, "/api/v1/calendar.ics?token=lt_") {
		t.Errorf("calendar link %q", feed)
	}
	inView(t, ctx, "feed", "the new calendar link")
	checkLayout(t, ctx, "calendar link@"+sc.name)
	shoot(t, ctx, "account-calendar-"+sc.name)

	deviceToken(t, otherPerson(t, ctx, sc), e, sc, dong)
}

// deviceToken: an admin issues a station's device token (shown once, on
// screen, working at once), finds it listed without its secret, and
// revokes it after confirming.
func deviceToken(t *testing.T, admin context.Context, e *apptest.Env, sc screen, dong string) {
	base := e.Server.URL
	signIn(t, admin, base, "admin")
	run(t, admin, "issuing a device token", chromedp.Navigate(base+"/admin/stations"),
		chromedp.Click(chromedp.Search(`//a[normalize-space(.)="Mã thiết bị"]`)), chromedp.WaitVisible(chromedp.ID("tokens")),
		chromedp.Click(chromedp.CSS(`#tokens form button.primary`)), chromedp.WaitVisible(chromedp.ID("device-token")))
	secret := eval[string](t, admin, `document.getElementById("device-token").value`)
	e.Do("GET", "/api/v1/stations/"+dong+"/rundown", secret, nil).Want(200)
	inView(t, admin, "device-token", "the new device token")
	checkLayout(t, admin, "device token@"+sc.name)
	shoot(t, admin, "station-token-"+sc.name)
	run(t, admin, "listing", chromedp.Navigate(base+"/admin/stations/"+url.PathEscape(dong)), chromedp.WaitVisible(chromedp.CSS(`#tokens table`)))
	if strings.Contains(eval[string](t, admin, `document.body.innerHTML`), secret) {
		t.Error("the list shows the secret")
	}
	run(t, admin, "revoking", chromedp.Click(chromedp.CSS(`#tokens details summary`)), chromedp.WaitVisible(chromedp.CSS(`#tokens button.danger`)))
	checkLayout(t, admin, "revoke@"+sc.name)
	shoot(t, admin, "station-token-revoke-"+sc.name)
	run(t, admin, "confirming", chromedp.Click(chromedp.CSS(`#tokens button.danger`)), chromedp.WaitVisible(chromedp.CSS(`#tokens .ok`)))
	e.Do("GET", "/api/v1/stations/"+dong+"/rundown", secret, nil).Want(401)
}
