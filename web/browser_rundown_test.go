package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// TestBrowserRundown: an operator signs in on a 390×844 phone, finds
// tomorrow's rundown from the navigation, and on the day taps "Đã phát"; the
// page is checked at 390 and 360 px.
func TestBrowserRundown(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	st, _ := approvedScripts(t, e, "2026-11-21")
	e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st)
	base := e.Server.URL
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "op-dong")
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav a[href="/stations"]`)), chromedp.WaitVisible(chromedp.CSS(`main a[href$="/rundown"]`)),
		chromedp.Click(chromedp.CSS(`main a[href$="/rundown"]`)), chromedp.WaitVisible(chromedp.CSS(`a[rel=next]`)),
		chromedp.Click(chromedp.CSS(`a[rel=next]`)), chromedp.WaitVisible(chromedp.CSS(`.script`)))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Thứ Bảy, 21/11/2026", "06:00", "Chung tay chấm dứt bạo lực gia đình", "khoảng 1 phút 20 giây", "Chưa phát"} {
		if !strings.Contains(text, want) {
			t.Errorf("tomorrow's rundown lacks %q; it shows:\n%s", want, text)
		}
	}
	checkLayout(t, ctx, "rundown tomorrow")
	shoot(t, ctx, "rundown-tomorrow-390")

	// The morning comes: the operator reads the first script and taps "Đã phát".
	e.Clock.Set(time.Date(2026, 11, 21, 6, 10, 0, 0, e.Config.Location))
	err = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.rd-aired button`)))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "rundown on the day")
	shoot(t, ctx, "rundown-today-390")
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.rd-aired button`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector(".script .rd-state").textContent.trim()`); !strings.Contains(got, "Đã phát lúc 06:10 21/11") {
		t.Errorf("first script's state %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector(".ok").textContent`); !strings.Contains(got, "Đã ghi nhận") {
		t.Errorf("notice %q", got)
	}
	checkLayout(t, ctx, "rundown aired")
	shoot(t, ctx, "rundown-aired-390")
	// The evening slot cannot air: the operator says why, once it opens
	// (15 minutes before 17:30).
	e.Clock.Set(time.Date(2026, 11, 21, 17, 20, 0, 0, e.Config.Location))
	err = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.rd-skip summary`)), chromedp.Click(chromedp.CSS(`.rd-skip summary`)), chromedp.WaitVisible(chromedp.CSS(`.rd-skip input[name=reason]`)),
		chromedp.SendKeys(chromedp.CSS(`.rd-skip input[name=reason]`), "Mất điện cả thôn"),
		chromedp.Click(chromedp.CSS(`.rd-skip form button`)), chromedp.WaitVisible(chromedp.CSS(`.st-skipped`)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Bỏ qua — lý do: Mất điện cả thôn") {
		t.Errorf("after skipping the page shows:\n%s", got)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "rundown at 360")
	shoot(t, ctx, "rundown-360")
}

// TestBrowserChannels: an admin opens the channels page on a phone with a
// channel needing reconnection, and resumes it.
func TestBrowserChannels(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	e.User(accounts.RoleAdmin, "lien-minh")
	if _, err := e.DB.Collection("channel_state").InsertOne(t.Context(), map[string]any{"_id": "lien-minh|zalo",
		"commune_id": "lien-minh", "channel": "zalo", "status": "reconnect", "reason": "auth_invalid -216: access token is invalid",
		"paused_until": e.Clock.Now().Add(24 * time.Hour).UTC(), "updated_at": e.Clock.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e.Server.URL, "admin-lien-minh")
	if err := chromedp.Do(ctx, chromedp.Navigate(e.Server.URL+"/admin/channels"), chromedp.WaitVisible(chromedp.CSS(".ch-bad button"))); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "channels")
	shoot(t, ctx, "channels-390")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".ch-bad button")), chromedp.WaitVisible(chromedp.CSS(".ok"))); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "channels resumed")
}

// TestBrowserLeaflet: an editor uploads a photo in the leaflet studio on a
// phone, renders the leaflet and sees its images.
func TestBrowserLeaflet(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	var it struct{ ID string }
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "leaflet", "title": "Nói không với bạo lực gia đình",
		"body": "Gọi 111 khi cần giúp.", "audiences": []string{"residents"}, "channels": []string{"print"},
		"schedule": map[string]any{"at": e.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}}).Want(201).JSON(&it)
	photo := filepath.Join(t.TempDir(), "anh.png")
	if err := os.WriteFile(photo, testPhoto(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e.Server.URL, "editor-lien-minh")
	err := chromedp.Do(ctx, chromedp.Navigate(e.Server.URL+"/items/"+it.ID+"/leaflet"), chromedp.WaitVisible(chromedp.ID("photo")),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}),
		chromedp.Click(chromedp.CSS(`form[enctype] button`)), chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "leaflet studio")
	err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("hotline"), "111"),
		chromedp.Click(chromedp.CSS(`button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.lf-fig img`)))
	if err != nil {
		t.Fatal(err)
	}
	// Both images load (each is drawn once, then served from storage).
	loaded := `(() => { const im = [...document.querySelectorAll(".lf-fig img")]; return im.length === 2 && im.every(i => i.complete && i.naturalWidth > 0) })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](loaded, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Errorf("the leaflet's two images did not load: %v", err)
	}
	checkLayout(t, ctx, "leaflet rendered")
	shoot(t, ctx, "leaflet-390")
}
