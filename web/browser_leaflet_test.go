package web_test

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// photoFile writes a photo a phone might take (a sky, a field) and returns
// its path.
func photoFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	for y := range 900 {
		for x := range 1200 {
			c := color.RGBA{R: uint8(90 + x/20), G: uint8(140 + y/12), B: 220, A: 255}
			if y > 520 {
				c = color.RGBA{R: 70, G: uint8(120 + (x+y)%60), B: 60, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	path := filepath.Join(t.TempDir(), "anh-lang.jpg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLeafletInSixTaps: on a 390×844 phone an editor goes from "+ Tờ rơi"
// on their home to a submitted leaflet in at most 6 taps (typing is not a
// tap; choosing a photo is two: the picker and the photo), and the manager
// then approves from a page that shows the leaflet image itself.
func TestLeafletInSixTaps(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	e.User(accounts.RoleManager, "lien-minh")
	base := e.Server.URL
	photo := photoFile(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "editor-lien-minh")
	taps := 0
	do := func(n int, what string, acts ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		taps += n
		for _, a := range acts {
			if err := chromedp.Do(ctx, a); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
	}
	do(1, "new leaflet", chromedp.Click(chromedp.CSS(`a.button[href*="kind=leaflet"]`)), chromedp.WaitVisible(chromedp.ID("title")))
	shoot(t, ctx, "leaflet-new-390")
	do(1, "title", chromedp.Click(chromedp.ID("title")), chromedp.SendKeys(chromedp.ID("title"), "Nói không với bạo lực gia đình"))
	do(1, "body", chromedp.Click(chromedp.ID("body")),
		chromedp.SendKeys(chromedp.ID("body"), "Khi thấy bạo lực, hãy lên tiếng và gọi ngay cho công an xã."))
	do(2, "photo", chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}))
	// The page uploads the photo and draws the leaflet in place.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`img[data-pv="leaflet"]`))); err != nil {
		t.Fatalf("no preview of the leaflet: %v", err)
	}
	waitImage(t, ctx, `img[data-pv="leaflet"]`)
	shoot(t, ctx, "leaflet-preview-390")
	checkLayout(t, ctx, "leaflet-new")
	do(1, "submit", chromedp.Click(chromedp.CSS(`button[name=action][value=submit]`)), chromedp.WaitVisible(chromedp.CSS(`p.ok`)))
	if taps > 6 {
		t.Errorf("%d taps from “+ Tờ rơi” to submitted, want at most 6", taps)
	}
	t.Logf("taps from “+ Tờ rơi” to submitted: %d", taps)
	shoot(t, ctx, "leaflet-submitted-390")
	var items []campaigns.Item
	e.Do("GET", "/api/v1/items?kind=leaflet", e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200).JSON(&items)
	if len(items) != 1 || items[0].Status != campaigns.StatusSubmitted || items[0].Title != "Nói không với bạo lực gia đình" {
		t.Fatalf("after the flow: %+v", items)
	}
	// The manager sees the picture that will be printed and posted.
	signOutAndIn(t, ctx, base, "manager-lien-minh")
	open(t, ctx, base, "/approvals", ".approval", "")
	eval[any](t, ctx, `window.scrollTo(0, document.body.scrollHeight)`) // the covers below load lazily
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll('.approval .og-imgs img')].every(i => i.complete && i.naturalWidth > 0)`)); err != nil {
		t.Fatalf("the leaflet images did not load: %v", err)
	}
	eval[any](t, ctx, `window.scrollTo(0, 0)`)
	if n := eval[int](t, ctx, `[...document.querySelectorAll('.approval .og-imgs img[src*="/media/`+items[0].ID+`/"]')].filter(i => i.getClientRects().length > 0).length`); n < 2 {
		t.Errorf("the approval page shows %d leaflet images, want the Facebook and Zalo ones", n)
	}
	checkLayout(t, ctx, "approvals-leaflet")
	shoot(t, ctx, "approvals-leaflet-390")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.approval form.approve button`)), chromedp.WaitVisible(chromedp.CSS(`p.ok`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `p.ok`); !strings.Contains(got, "Nói không với bạo lực gia đình") {
		t.Errorf("after approving: %q", got)
	}
}

// waitImage waits until the image matching sel has loaded.
func waitImage(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector(`+"`"+sel+"`"+`); return !!i && i.complete && i.naturalWidth > 0; })()`))
	if err != nil {
		t.Fatalf("image %s did not load: %v", sel, err)
	}
}

// TestLeafletSavedWhileItsPhotoUploads: on a slow link the editor presses
// "Lưu nháp" while the photo chosen a moment ago is still uploading. The
// page says it is waiting, and saves once the photo is up: the draft has
// its photo (a disabled file input would have sent neither the file nor
// the photo's id). The upload is held by the browser until the press.
func TestLeafletSavedWhileItsPhotoUploads(t *testing.T) {
	t.Parallel()
	ctx := chrome(t)
	e := apptest.New(t)
	edTok := e.User(accounts.RoleEditor, "lien-minh")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e.Server.URL, "editor-lien-minh")
	held := make(chan fetch.RequestID, 4)
	if err := chromedp.Listen(ctx, func(ev any) {
		if p, ok := ev.(*fetch.EventRequestPaused); ok {
			held <- p.RequestID
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/media"}}}); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, e.Server.URL, "/items/new?kind=leaflet", "#title", "")
	err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("title"), "Nói không với bạo lực gia đình"),
		chromedp.SendKeys(chromedp.ID("body"), "Gọi 111 khi cần giúp."),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photoFile(t)}))
	if err != nil {
		t.Fatal(err)
	}
	var id fetch.RequestID
	select {
	case id = <-held:
	case <-time.After(20 * time.Second):
		t.Fatal("the photo was not uploaded when chosen")
	}
	if got := text(t, ctx, `[data-upload-status]`); got != "Đang tải ảnh lên…" {
		t.Errorf("while the photo uploads the page says %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[name=action][value=save]`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `[data-upload-status]`); !strings.Contains(got, "sẽ được lưu ngay khi ảnh tải xong") {
		t.Errorf("saving during the upload, the page says %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector("button[name=action][value=save]").disabled && location.pathname === "/items/new"`) {
		t.Error("the form went (or could go) before the photo was up")
	}
	shoot(t, ctx, "leaflet-save-while-uploading-390")
	if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`p.ok`))); err != nil {
		t.Fatal(err)
	}
	var items []campaigns.Item
	e.Do("GET", "/api/v1/items?kind=leaflet", edTok, nil).Want(200).JSON(&items)
	if len(items) != 1 || items[0].Status != campaigns.StatusDraft {
		t.Fatalf("after saving: %+v", items)
	}
	var lv struct {
		PhotoMediaID string `json:"photo_media_id"`
	}
	e.Do("GET", "/api/v1/items/"+items[0].ID+"/leaflet", edTok, nil).Want(200).JSON(&lv)
	if lv.PhotoMediaID == "" {
		t.Error("the draft was saved without its photo")
	}
}
