package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
)

// TestBrowserPostByHand: on a 390×844 phone, with no platform credentials,
// an approved post falls due; the editor sees the count in the navigation,
// opens the queue, copies the text, downloads the image, pastes the post's
// link and sees it sent (SPEC §6.2). Every tap from opening the queue (what
// the calendar reminder links to) is counted.
func TestBrowserPostByHand(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t, func(c *config.Config) { c.Outbox = false })
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	base := e.Server.URL
	// A post with a photo, approved, due in an hour.
	var up struct {
		ID string `json:"id"`
	}
	upload(t, e, ed, photoBytes(t)).JSON(&up)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "post", "title": "Ngày hội áo cam",
		"body": "Mời bà con mặc áo cam hưởng ứng ngày 25/11.", "channels": []string{"facebook"}, "media_ids": []string{up.ID},
		"schedule": map[string]any{"at": e.Clock.Now().Add(time.Hour).Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	e.Clock.Advance(61 * time.Minute)
	handedOver(t, e, it.ID)
	dl := t.TempDir()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	allowDownloads(t, ctx, dl)
	signIn(t, ctx, base, "editor-lien-minh")
	if got := text(t, ctx, `nav a[href="/manual"] .count`); got != "1" {
		t.Fatalf("the navigation's count is %q, want 1", got)
	}
	checkLayout(t, ctx, "home-to-post")
	shoot(t, ctx, "home-to-post-390")
	taps := 0
	step := func(what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		taps++
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("open the queue", chromedp.Click(chromedp.CSS(`nav a[href="/manual"]`)), chromedp.WaitVisible(chromedp.CSS(`section.manual`)))
	waitImage(t, ctx, `.man-img img`)
	checkLayout(t, ctx, "manual")
	shoot(t, ctx, "manual-390")
	if got := eval[string](t, ctx, `document.querySelector("textarea.copy-text").value`); got != "Ngày hội áo cam\n\nMời bà con mặc áo cam hưởng ứng ngày 25/11." {
		t.Errorf("text to paste %q", got)
	}
	step("copy the text and download the image", chromedp.Click(chromedp.CSS(`button[data-copy]`)))
	// The clipboard answers when it has the text: the button changes then.
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.querySelector("button[data-copy]").textContent.includes("Đã sao chép")`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("after copying the button says %q (%v)", text(t, ctx, `button[data-copy]`), err)
	}
	waitDownload(t, dl)
	step("paste the link", chromedp.Click(chromedp.CSS(`input[name=url]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=url]`), "https://www.facebook.com/xalienminh/posts/pfbid02AbCdEfGhIjKlMnOp"))
	shoot(t, ctx, "manual-before-posted-390")
	step("posted", chromedp.Click(chromedp.CSS(`form.posted button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`p.ok, .field-error`)))
	if shown(t, ctx, `.field-error`) {
		t.Fatalf("the link was refused: %s", text(t, ctx, `.field-error`))
	}
	if taps > 4 {
		t.Errorf("%d taps from opening the queue to sent, want at most 4", taps)
	}
	t.Logf("taps from opening the queue to sent with its link: %d", taps)
	shoot(t, ctx, "manual-posted-390")
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, ed, nil).Want(200).JSON(&list)
	if len(list) != 1 || list[0].State != deliveries.StateSent || !strings.Contains(list[0].URL, "pfbid02AbCdEfGhIjKlMnOp") {
		t.Fatalf("after posting: %+v", list)
	}
	if shown(t, ctx, `nav a[href="/manual"] .count`) {
		t.Error("the count still shows after the post was made")
	}
}

// upload stores a photo through the API (POST /api/v1/media).
func upload(t *testing.T, e *apptest.Env, tok string, data []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "anh.jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/api/v1/media", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	return e.Send(req).Want(http.StatusCreated)
}

// waitDownload waits (polling, at most ten seconds) for a whole downloaded
// file in dir.
func waitDownload(t *testing.T, dir string) {
	t.Helper()
	for range 100 {
		files, _ := os.ReadDir(dir)
		if len(files) > 0 && !strings.HasSuffix(files[0].Name(), ".crdownload") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("the image was not downloaded")
}
