package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// screens is where the browser tests leave their screenshots (git-ignored).
const screens = "testdata/screens"

// chrome opens a browser for one test, or skips the test when chromium is
// not installed.
func chrome(t *testing.T) context.Context {
	t.Helper()
	return chromeFor(t, 90*time.Second)
}

// chromeFor is chrome for a test of many pages, that may take up to limit.
func chromeFor(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	return chromeWith(t, limit)
}

// chromeWith is chromeFor with chromium's extra options (a fake
// microphone, say): a test that needs options gets a chromium of its own,
// the others share the package's.
//
// Either way the test gets a browser context of its own (cookies, storage,
// cache and service workers apart from every other test's, as a fresh
// profile has), in a new tab.
func chromeWith(t testing.TB, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := chromiumPath(t)
	var browser context.Context
	if len(extra) == 0 {
		shared.once.Do(func() { shared.ctx, shared.stop, shared.err = launch(path) })
		if shared.err != nil {
			t.Fatalf("starting chromium: %v", shared.err)
		}
		browser = shared.ctx
	} else {
		ctx, stop, err := launch(path, extra...)
		if err != nil {
			t.Fatalf("starting chromium: %v", err)
		}
		t.Cleanup(stop)
		browser = ctx
	}
	ctx, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancelTime := context.WithTimeout(ctx, limit)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
	})
	// Only one tab of a browser has the focus, and a page without it may
	// not write to the clipboard ("Sao chép"): each test's tab is treated
	// as the one in front, as it would be on the person's own phone.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if err := os.MkdirAll(screens, 0o755); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// shared is the package's chromium, started by the first browser test and
// stopped by TestMain. Starting one costs about 2 s of CPU (measured with a
// fresh profile: 1.1 s user, 0.9 s system), and the browser tests are bound
// by CPU on two cores.
var shared struct {
	once sync.Once
	ctx  context.Context // its first tab; tests open their own beside it
	stop func()
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

// chromiumPath finds Debian's chromium, or skips the test.
func chromiumPath(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if _, statErr := os.Stat("/usr/bin/chromium"); statErr != nil {
			t.Skip("chromium is not installed (apt-get install chromium): browser tests skipped")
		}
		path = "/usr/bin/chromium"
	}
	return path
}

// launch starts chromium headless on a profile of its own and returns its
// first tab, and what stops it and removes the profile.
func launch(path string, extra ...chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "lantoa-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(dir))
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		for range 50 { // chromium's children may still be writing for a moment
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// allowDownloads saves what the test's pages download into dir. It is set
// on the test's own browser context: the shared chromium's default one
// would be every test's.
func allowDownloads(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
		t.Fatal(err)
	}
}

// shoot saves a full-page screenshot.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(screens, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// signIn fills in the sign-in form as a person would, and waits for the
// page it lands on.
func signIn(t testing.TB, ctx context.Context, base, username string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".who form")), // signed in: where depends on the role (web/login.go landing)
		// The landing page may still be loading, and on an operator's page
		// the service worker (offline.js) takes control a moment later:
		// chromedp reads the document anew at either, and nodes found
		// before are unknown to the next action ("No node with given id").
		chromedp.Poll[chromedp.Void](`document.readyState === "complete" &&
			(!document.querySelector("script[data-u]")?.dataset.u || !!navigator.serviceWorker.controller)`),
		chromedp.WaitVisible(chromedp.CSS(".who form")),
	)
	if err != nil {
		t.Fatalf("signing in as %s: %v", username, err)
	}
}

// eval runs a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// layoutProblems lists what a phone user would trip over on the page:
// content wider than the screen, and controls smaller than a fingertip.
const layoutProblems = `(() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    out.push("page is " + document.documentElement.scrollWidth + "px wide on a " + window.innerWidth + "px screen");
  for (const el of document.querySelectorAll("button, input:not([type=hidden]), select, .button, nav a, .hotlines a, .bands a")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const min = el.matches("input[type=checkbox], input[type=radio]") ? 20 : 40;
    if (r.height < min) out.push((el.textContent || el.name || el.tagName).trim().slice(0, 40) + " is " + Math.round(r.height) + "px tall");
    if (r.right > window.innerWidth + 1) out.push((el.textContent || el.name || el.tagName).trim().slice(0, 40) + " sticks out");
  }
  if (getComputedStyle(document.body).backgroundColor !== "rgb(247, 245, 249)") out.push("the stylesheet did not load");
  return out;
})()`

func checkLayout(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, p := range eval[[]string](t, ctx, layoutProblems) {
		t.Errorf("%s: %s", page, p)
	}
}

// TestBrowserPhone signs in on a 390×844 phone, opens November 2026 and finds
// the action month and the International Day in the list view; every page is
// checked at 390 and 360 px for overflow and small tap targets.
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	e.User(accounts.RoleAdmin, "lien-minh")
	base := e.Server.URL

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("password"))); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "login")
	shoot(t, ctx, "login-390")
	signIn(t, ctx, base, "editor-lien-minh")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/calendar?month=2026-11"), chromedp.WaitVisible(chromedp.CSS(".bands"))); err != nil {
		t.Fatal(err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới năm 2026",
		"15/11/2026 – 15/12/2026", "Thứ Tư, 25/11", "Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái",
		"Thứ Ba, 24/11", "Hạn cuối gửi Báo cáo", "Chủ Nhật, 15/11", "Bắt đầu: Tháng hành động"} {
		if !strings.Contains(list, want) {
			t.Errorf("phone calendar lacks %q; it shows:\n%s", want, list)
		}
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".band, .wk-head, .dnum")].filter(e => e.offsetWidth > 0).length`); n != 0 {
		t.Errorf("%d pieces of the month grid show on a phone", n)
	}
	checkLayout(t, ctx, "calendar")
	shoot(t, ctx, "calendar-2026-11-390")
	busyMonth(t, e)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/calendar?month=2026-11"), chromedp.WaitVisible(chromedp.CSS(".bands"))); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "busy calendar")
	shoot(t, ctx, "calendar-busy-390")

	pages := map[string]string{
		"campaign": "/campaigns/lien-minh-gbv-month-2026", "campaign-new": "/campaigns/new",
		"campaign-edit": "/campaigns/lien-minh-gbv-month-2026/edit", "subscribe": "/calendar/subscribe", "support": "/ho-tro",
	}
	for name, path := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, ctx, name)
		shoot(t, ctx, name+"-390")
	}
	// The calendar link, made and shown once.
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/calendar/subscribe"), chromedp.WaitVisible(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("feed")))
	if err != nil {
		t.Fatal(err)
	}
	if feed, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("feed"))); !strings.Contains(feed, "/api/v1/calendar.ics?token=lt_") {
		t.Errorf("feed address %q", feed)
	}
	checkLayout(t, ctx, "subscribed")
	shoot(t, ctx, "subscribed-390")

	// A form with its errors, as the editor would see it.
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/campaigns/new"), chromedp.WaitVisible(chromedp.ID("title")),
		chromedp.SendKeys(chromedp.ID("title"), "Tuần lễ truyền thông"),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".field-error")))
	if err != nil {
		t.Fatal(err)
	}
	if errs := eval[[]string](t, ctx, `[...document.querySelectorAll(".field-error")].map(e => e.previousElementSibling.id + ": " + e.textContent)`); len(errs) != 2 ||
		errs[0] != "start: Vui lòng nhập ô này." || errs[1] != "end: Vui lòng nhập ô này." {
		t.Errorf("field errors %q, want start and end required", errs)
	}
	checkLayout(t, ctx, "campaign-errors")
	shoot(t, ctx, "campaign-errors-390")

	// The narrowest phone the pages promise.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"calendar": "/calendar?month=2026-11", "campaign-new": "/campaigns/new", "support": "/ho-tro"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, ctx, name+"@360")
		shoot(t, ctx, name+"-360")
	}
	signOutAndIn(t, ctx, base, "admin")
	for name, path := range map[string]string{"admin-users": "/admin/users", "admin-communes": "/admin/communes"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		checkLayout(t, ctx, name+"@360")
		shoot(t, ctx, name+"-360")
	}
}

func signOutAndIn(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/calendar"), chromedp.WaitVisible(chromedp.CSS(".who button")),
		chromedp.Click(chromedp.CSS(".who button")), chromedp.WaitVisible(chromedp.ID("username")))
	if err != nil {
		t.Fatalf("signing out: %v", err)
	}
	signIn(t, ctx, base, username)
}

// TestBrowserDesktop opens November 2026 on a 1280×800 screen: the month grid
// with the action month's band across the weeks and the 25/11 band, and the
// filter that submits itself when a campaign is picked (JavaScript under the
// Content-Security-Policy).
func TestBrowserDesktop(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	e.User(accounts.RoleManager, "lien-minh")
	base := e.Server.URL
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "manager-lien-minh")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/calendar?month=2026-11"), chromedp.WaitVisible(chromedp.CSS(".grid"))); err != nil {
		t.Fatal(err)
	}
	bands := eval[[]string](t, ctx, `[...document.querySelectorAll(".grid .band")].filter(b => b.offsetWidth > 0).map(b => b.textContent)`)
	gbv, evaw := 0, 0
	for _, b := range bands {
		if strings.HasPrefix(b, "Tháng hành động vì bình đẳng giới") {
			gbv++
		}
		if strings.HasPrefix(b, "Ngày Quốc tế xóa bỏ mọi hình thức bạo lực") {
			evaw++
		}
	}
	if gbv != 4 || evaw != 1 { // Sunday 15/11, the weeks of 16/11 and 23/11, and 30/11–6/12
		t.Errorf("visible bands %q: %d of the action month, %d of 25/11", bands, gbv, evaw)
	}
	ms := eval[string](t, ctx, `document.querySelector(".grid .ms").textContent`)
	if !strings.Contains(ms, "Hạn gửi báo cáo năm") {
		t.Errorf("milestone reads %q", ms)
	}
	checkLayout(t, ctx, "calendar@1280")
	shoot(t, ctx, "calendar-2026-11-1280")

	// Picking a campaign submits the filter by itself.
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select[name=campaign]");
		s.value = "lien-minh-evaw-day-2026"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(".grid")))
	if err != nil {
		t.Fatal(err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "campaign=lien-minh-evaw-day-2026") {
		t.Errorf("after picking a campaign the page is %s", loc)
	}
	shoot(t, ctx, "calendar-filtered-1280")
	busyMonth(t, e)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/calendar?month=2026-11"), chromedp.WaitVisible(chromedp.CSS(".grid"))); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "busy calendar@1280")
	shoot(t, ctx, "calendar-busy-1280")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/campaigns/lien-minh-gbv-month-2026"), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, "campaign-1280")
}
