package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// open navigates to path and waits for sel, then checks the layout and
// saves a screenshot named shot (none when shot is "").
func open(t *testing.T, ctx context.Context, base, path, sel, shot string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	if shot != "" {
		checkLayout(t, ctx, shot)
		shoot(t, ctx, shot)
	}
}

// text returns the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// shown reports whether the first element matching sel takes up room on
// the page.
func shown(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	return eval[bool](t, ctx, `(() => { const el = document.querySelector(`+"`"+sel+"`"+`); return !!el && el.getClientRects().length > 0; })()`)
}

// TestBrowserItemFlow walks the week's core on a 390×844 phone: the editor
// writes a post (the preview follows the typing, the form shows the kind's
// fields, errors sit next to their fields) and submits it; the manager
// approves it from /approvals and looks at the reach charts. Every page is
// checked for overflow and small tap targets and saved at phone and desktop
// sizes.
func TestBrowserItemFlow(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	e.User(accounts.RoleManager, "lien-minh")
	seedReach(t, e)
	problems(t, e)
	base := e.Server.URL
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "editor-lien-minh")
	open(t, ctx, base, "/campaigns/"+gbv2026, ".items, .head-row", "campaign-items-390")
	err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.head-row a.button`)), chromedp.WaitVisible(chromedp.ID("title")))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "item-new")
	shoot(t, ctx, "item-new-390")

	// The kind decides the fields: a script shows stations, not channels.
	if !shown(t, ctx, `input[name=channels][value=facebook]`) || shown(t, ctx, `input[name=station_ids]`) || shown(t, ctx, `#times-label`) {
		t.Error("a post's form shows the wrong fields")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=kind][value=script]`))); err != nil {
		t.Fatal(err)
	}
	if shown(t, ctx, `input[name=channels][value=facebook]`) || !shown(t, ctx, `input[name=station_ids]`) || !shown(t, ctx, `.pv-read`) {
		t.Error("a script's form shows the wrong fields")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=mode][value=repeat]`))); err != nil {
		t.Fatal(err)
	}
	if !shown(t, ctx, `#times-label`) || shown(t, ctx, `#at_date`) {
		t.Error("a recurrence shows the wrong schedule fields")
	}
	shoot(t, ctx, "item-new-script-390")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=kind][value=post]`)), chromedp.Click(chromedp.CSS(`input[name=mode][value=once]`))); err != nil {
		t.Fatal(err)
	}

	// Saving an empty form shows the errors next to their fields.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=save]`)), chromedp.WaitVisible(chromedp.CSS(".field-error")))
	if err != nil {
		t.Fatal(err)
	}
	errs := eval[[]string](t, ctx, `[...document.querySelectorAll(".field-error")].map(e => (e.previousElementSibling.id || e.previousElementSibling.className) + ": " + e.textContent)`)
	// The campaign's channels come ticked: only the text is missing.
	if len(errs) != 2 || !strings.HasPrefix(errs[0], "title: Vui lòng nhập") || !strings.HasPrefix(errs[1], "body: Vui lòng nhập") {
		t.Errorf("field errors %q", errs)
	}
	checkLayout(t, ctx, "item-errors")
	shoot(t, ctx, "item-errors-390")

	// The preview follows the typing.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("title"), "Hãy lên tiếng khi thấy bạo lực"),
		chromedp.SendKeys(chromedp.ID("body"), "Gọi 111 nếu trẻ em bị bạo lực.\nGọi 113 khi khẩn cấp."),
		chromedp.Click(chromedp.CSS(`input[name=audiences][value=residents]`)),
		chromedp.Click(chromedp.CSS(`input[name=channels][value=zalo]`)), // Facebook only: untick the others
		chromedp.Click(chromedp.CSS(`input[name=channels][value=portal]`)),
		chromedp.SetValue(chromedp.ID("at_date"), "2026-11-25"), chromedp.SetValue(chromedp.ID("at_time"), "08:00"))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `[data-pv=title]`); got != "Hãy lên tiếng khi thấy bạo lực" {
		t.Errorf("preview title %q", got)
	}
	if got := text(t, ctx, `[data-pv=body]`); !strings.Contains(got, "Gọi 113 khi khẩn cấp.") {
		t.Errorf("preview body %q", got)
	}
	// The date picked shows in the preview, and the fixed fields lose their errors.
	eval[any](t, ctx, `document.getElementById("at_date").dispatchEvent(new Event("change", {bubbles: true}))`)
	if got := text(t, ctx, `.pv-head.k-post .m-once`); got != "Thứ Tư, 25/11/2026 lúc 08:00" {
		t.Errorf("preview schedule %q", got)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll(".field-error")].filter(e => !e.hidden).length`); n != 0 {
		t.Errorf("%d errors still shown after fixing the title and text", n)
	}
	shoot(t, ctx, "item-typed-390")
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[value=submit]`)), chromedp.WaitVisible(chromedp.CSS(".ok")))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".ok"); !strings.Contains(got, "Đã gửi duyệt") {
		t.Fatalf("after submitting: %q", got)
	}
	checkLayout(t, ctx, "item-submitted")
	shoot(t, ctx, "item-submitted-390")
	open(t, ctx, base, "/deliveries", ".dl", "deliveries-390")
	open(t, ctx, base, "/admin/stations", "main", "stations-390")

	// The manager approves it from the queue.
	signOutAndIn(t, ctx, base, "manager-lien-minh")
	open(t, ctx, base, "/approvals", ".approval", "approvals-390")
	if got := text(t, ctx, ".approval h2"); got != "Hãy lên tiếng khi thấy bạo lực" {
		t.Errorf("queue shows %q", got)
	}
	err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".approval")))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "approvals@1280")
	shoot(t, ctx, "approvals-1280")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.approval form.approve button`)), chromedp.WaitVisible(chromedp.CSS(".ok")))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, ".ok"); !strings.Contains(got, "Đã duyệt “Hãy lên tiếng khi thấy bạo lực”: 1 lượt phát") {
		t.Errorf("after approving: %q", got)
	}
	shoot(t, ctx, "approved-390")

	// The charts: bars against targets, the timeline, the villages.
	open(t, ctx, base, "/reach/"+gbv2026, "svg.hbar", "reach-390")
	if n := eval[int](t, ctx, `[...document.querySelectorAll("svg rect.bar")].filter(r => r.getBoundingClientRect().width > 0).length`); n < 10 {
		t.Errorf("%d bars drawn on the reach page", n)
	}
	open(t, ctx, base, "/reach?year=2026", "svg.hbar", "reach-year-390")
	open(t, ctx, base, "/items/new", "main", "")
	if !strings.Contains(text(t, ctx, "main"), "Vai trò của bạn không được phép") {
		t.Error("a manager opened the editor")
	}

	// The same pages on a desktop screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, base, "/reach/"+gbv2026, "svg.timeline", "reach-1280")
	open(t, ctx, base, "/approvals?approved=x", "main", "approvals-empty-1280")
	open(t, ctx, base, "/deliveries", ".dl", "deliveries-1280")
	signOutAndIn(t, ctx, base, "editor-lien-minh")
	open(t, ctx, base, "/items/new?kind=script&campaign="+gbv2026, "#title", "item-new-script-1280")
	if x := eval[float64](t, ctx, `document.querySelector(".preview-box").getBoundingClientRect().left - document.querySelector("#title").getBoundingClientRect().right`); x <= 0 {
		t.Errorf("on a desktop the preview is not beside the form (gap %v)", x)
	}
	// The reading time follows the script as it is typed: 5 words at 130 a minute.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("body"), "Một hai ba bốn năm")); err != nil {
		t.Fatal(err)
	}
	if read, words := text(t, ctx, `[data-pv=read]`), text(t, ctx, `[data-pv=words]`); read != "3 giây" || words != "5" {
		t.Errorf("reading time %q for %q words", read, words)
	}
	open(t, ctx, base, "/admin/stations", "main", "stations-1280")

	// The narrowest phone the pages promise.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"item-new-script": "/items/new?kind=script&campaign=" + gbv2026,
		"deliveries": "/deliveries", "reach": "/reach/" + gbv2026, "stations": "/admin/stations", "campaign-items": "/campaigns/" + gbv2026} {
		open(t, ctx, base, path, "main", name+"-360")
	}
}

// problems leaves the deliveries page something to show: a post missed while
// the server was down for seven hours, and the Zalo channel paused for want
// of a valid token.
func problems(t *testing.T, e *apptest.Env) {
	t.Helper()
	approvedPost(t, e, "Bài đăng bị lỡ giờ vì máy chủ tạm dừng", e.Clock.Now().Add(2*time.Minute), "facebook")
	e.Clock.Advance(7 * time.Hour)
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	if _, err := e.DB.Collection("channel_state").InsertOne(t.Context(), map[string]any{"_id": "lien-minh|zalo",
		"commune_id": "lien-minh", "channel": "zalo", "status": "reconnect", "reason": "auth_invalid -216: access token invalid",
		"paused_until": e.Clock.Now().Add(24 * time.Hour).UTC(), "updated_at": e.Clock.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
}
