package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// TestBrowserReports opens the report pages as their users would, on a
// phone (390 and 360 px) and on a desktop: the manager's calendar with the
// 25/11 reminder and the annual report, then the province view, whose
// channel picker submits itself.
func TestBrowserReports(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	seedProvince(t, e)
	e.Clock.Set(time.Date(2026, 11, 22, 8, 0, 0, 0, e.Config.Location))
	if err := e.App.Reach.RefreshNotices(t.Context(), []string{"lien-minh"}); err != nil {
		t.Fatal(err)
	}
	e.User(accounts.RoleManager, "lien-minh")
	e.User(accounts.RoleProvince, "lien-minh")
	base := e.Server.URL
	open := func(path, name string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		checkLayout(t, ctx, name)
		shoot(t, ctx, name)
	}
	phone := func(w, h int64) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
			t.Fatal(err)
		}
	}

	phone(390, 844)
	signIn(t, ctx, base, "manager-lien-minh")
	notice := eval[string](t, ctx, `(document.querySelector("main .due") || {}).textContent || ""`)
	if !strings.Contains(notice, "trước ngày 25/11/2026: còn 3 ngày.") || !strings.Contains(notice, "Xem và tải báo cáo") {
		t.Errorf("the manager's calendar reminder reads %q", notice)
	}
	checkLayout(t, ctx, "calendar-notice-390")
	shoot(t, ctx, "calendar-notice-390")
	open("/reports", "reports-390")
	if n := eval[int](t, ctx, `document.querySelectorAll("a.button[download]").length`); n != 3 {
		t.Errorf("%d download buttons on the report page", n)
	}
	phone(360, 740)
	open("/reports", "reports-360")

	signOutAndIn(t, ctx, base, "province-lien-minh")
	phone(390, 844)
	open("/province", "province-390")
	// Picking a channel redraws the chart (the select submits itself).
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select[name=channel]");
		s.value = "print"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if err != nil {
		t.Fatal(err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "channel=print") || !strings.Contains(loc, "year=2026") {
		t.Errorf("after picking a channel the page is %s", loc)
	}
	phone(360, 740)
	open("/province?year=2026&channel=print", "province-360")

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	open("/province", "province-1280")
	open("/reports?commune=hoa-binh", "reports-hoa-binh-1280")
	signOutAndIn(t, ctx, base, "manager-lien-minh")
	open("/reports", "reports-1280")
}
