package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// TestBrowserDeliveriesFilters: on a 390×844 phone an editor finds a post
// that failed for good three days ago under "Cần xử lý", narrows the list by
// channel (the select submits itself) and by dates (the form), and follows
// a sent post to where it went; the filters fit the screen.
func TestBrowserDeliveriesFilters(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t) // Friday 2026-11-20 09:00
	e.User(accounts.RoleEditor, "lien-minh")
	dead := approvedPost(t, e, "Bài bị Zalo từ chối", e.Clock.Now().Add(8*time.Hour), "zalo")
	sent := approvedPost(t, e, "Bài đã lên Facebook", e.Clock.Now().Add(7*time.Hour), "facebook")
	e.Clock.Advance(8*time.Hour + time.Minute)
	ctxs := apptest.Scoped("lien-minh")
	if err := e.App.Dispatch.Dispatch(ctxs); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	set(t, e, deliveriesOf(t, e, dead)[0].ID, map[string]any{"state": "dead", "error_class": "permanent",
		"last_error": "permanent -216: ảnh bìa không hợp lệ"})
	set(t, e, deliveriesOf(t, e, sent)[0].ID, map[string]any{"url": "https://www.facebook.com/100_200"})
	e.Clock.Advance(3 * 24 * time.Hour)
	if _, err := e.App.Deliveries.Archive(ctxs); err != nil {
		t.Fatal(err)
	}
	base := e.Server.URL
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "editor-lien-minh")
	open(t, ctx, base, "/deliveries", ".dl", "deliveries-problems-390")
	if got := text(t, ctx, "main"); !strings.Contains(got, "Bài bị Zalo từ chối") || strings.Contains(got, "Bài đã lên Facebook") {
		t.Fatalf("Cần xử lý shows:\n%s", got)
	}

	// Every state on Facebook: picking the channel submits the form.
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => {
  document.querySelector('select[name="state"]').value = "all";
  const ch = document.querySelector('select[name="channel"]');
  ch.value = "facebook";
  ch.dispatchEvent(new Event("change", {bubbles: true}));
})()`),
		chromedp.WaitVisible(chromedp.CSS(`a.out`)))
	if err != nil {
		t.Fatalf("filtering by channel: %v", err)
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "channel=facebook") || !strings.Contains(loc, "state=all") {
		t.Errorf("after picking a channel: %s", loc)
	}
	if href := eval[string](t, ctx, `document.querySelector("a.out").href`); href != "https://www.facebook.com/100_200" {
		t.Errorf("the sent post links to %q", href)
	}
	checkLayout(t, ctx, "deliveries-facebook")
	shoot(t, ctx, "deliveries-facebook-390")

	// Dates after the posts: nothing.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`input[name="from"]`), "2026-11-21"),
		chromedp.SetValue(chromedp.CSS(`input[name="to"]`), "2026-11-22"),
		chromedp.Click(chromedp.CSS(`.dl-filters button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.note`)))
	if err != nil {
		t.Fatalf("filtering by dates: %v", err)
	}
	if got := text(t, ctx, "main"); !strings.Contains(got, "Không có lượt phát nào khớp bộ lọc.") ||
		!strings.Contains(got, "từ 21/11/2026 đến 22/11/2026") {
		t.Errorf("after choosing dates:\n%s", got)
	}
	checkLayout(t, ctx, "deliveries-dates")
	shoot(t, ctx, "deliveries-dates-390")
}
