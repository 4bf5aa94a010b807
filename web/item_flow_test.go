package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// postMultipart posts form with files (field → name → bytes), as a browser
// without JavaScript sends the item editor.
func (b *browser) postMultipart(path string, form url.Values, files map[string]map[string][]byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf", b.csrf())
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for field, byName := range files {
		for name, data := range byName {
			fw, _ := w.CreateFormFile(field, name)
			_, _ = fw.Write(data)
		}
	}
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.Server.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.origin)
	return b.do(req)
}

func leafletForm(key string) url.Values {
	return url.Values{"form_key": {key}, "kind": {"leaflet"}, "campaign_id": {gbv2026}, "title": {"Nói không với bạo lực"},
		"body": {"Gọi 111 khi cần giúp."}, "channels": {"print", "facebook"}, "mode": {"once"},
		"at_date": {"2026-11-22"}, "at_time": {"08:00"}, "hotline": {"Tổng đài: 111"}, "template": {"photo-top"}, "action": {"submit"}}
}

func itemsOf(t *testing.T, e *apptest.Env, kind string) []campaigns.Item {
	t.Helper()
	var items []campaigns.Item
	e.Do("GET", "/api/v1/items?kind="+kind, e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200).JSON(&items)
	return items
}

// TestAFailedSubmitCreatesNothing: a new leaflet sent for approval without
// a photo is shown again with the error and stores nothing; with the photo
// it is saved, its leaflet made and submitted; the same form sent again
// (a double tap, a retry) makes no second item (issue 14: "submitting a new
// leaflet answered 409 and saved a duplicate").
func TestAFailedSubmitCreatesNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.postMultipart("/items/new", leafletForm("k1"), nil).want(http.StatusUnprocessableEntity).sound().
		has("Tờ rơi cần một ảnh", `value="k1"`, `value="Nói không với bạo lực"`)
	if items := itemsOf(t, e, "leaflet"); len(items) != 0 {
		t.Fatalf("a refused form stored %d items", len(items))
	}
	photo := map[string]map[string][]byte{"photo": {"anh.png": testPhoto(t)}}
	p := ed.postMultipart("/items/new", leafletForm("k1"), photo).redirects("/items/")
	if !strings.Contains(p.Header.Get("Location"), "submitted=1") {
		t.Fatalf("the leaflet was not submitted: %s", p.Header.Get("Location"))
	}
	ed.postMultipart("/items/new", leafletForm("k1"), photo).redirects("/items/")
	items := itemsOf(t, e, "leaflet")
	if len(items) != 1 || items[0].Status != campaigns.StatusSubmitted {
		t.Fatalf("after sending the same form twice: %+v", items)
	}
	var lv struct {
		Variants map[string]string `json:"variants"`
		Title    string            `json:"title"`
		Hotline  string            `json:"hotline"`
	}
	e.Do("GET", "/api/v1/items/"+items[0].ID+"/leaflet", e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200).JSON(&lv)
	if lv.Title != "Nói không với bạo lực" || lv.Hotline != "Tổng đài: 111" || lv.Variants["print-a5"] == "" {
		t.Fatalf("the leaflet made from the form: %+v", lv)
	}
	// A leaflet text too long for the leaflet is refused before anything is stored.
	long := leafletForm("k2")
	long.Set("title", strings.Repeat("Dài ", 30))
	ed.postMultipart("/items/new", long, photo).want(http.StatusUnprocessableEntity).has("Tiêu đề tờ rơi phải có từ 1 đến 80 ký tự")
	if n := len(itemsOf(t, e, "leaflet")); n != 1 {
		t.Fatalf("%d leaflets after a refused form", n)
	}
}

// TestLeafletDraftKeepsItsHotline: a leaflet saved as a draft before it
// has a photo keeps the hotline and template typed, on its page and into
// its first render; a hotline too long is refused with the form.
func TestLeafletDraftKeepsItsHotline(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	f := leafletForm("k1")
	f.Set("action", "save")
	f.Set("hotline", "0912 345 678")
	f.Set("template", "full-bleed")
	p := ed.postMultipart("/items/new", f, nil).redirects("/items/")
	it := itemsOf(t, e, "leaflet")[0]
	if it.Status != campaigns.StatusDraft {
		t.Fatalf("saved: %+v", it)
	}
	ed.get(p.Header.Get("Location")).want(200).sound().has(`name="hotline" value="0912 345 678"`,
		`value="full-bleed" checked`, "Đã lưu bản nháp.")
	// The studio shows them too.
	ed.get("/items/"+it.ID+"/leaflet").want(200).has(`name="hotline" value="0912 345 678"`, `<option value="full-bleed" selected>`)
	// Edited again, still without a photo: the new choices are kept.
	f = leafletForm("")
	f.Del("form_key")
	f.Set("version", strconv.Itoa(it.Version))
	f.Set("action", "save")
	f.Set("hotline", "Công an xã: 0220 3 111 222")
	f.Set("template", "photo-top")
	f.Set("body", "Gọi công an xã khi cần giúp.")
	ed.postMultipart("/items/"+it.ID, f, nil).redirects("/items/" + it.ID)
	ed.get("/items/"+it.ID).want(200).has(`name="hotline" value="Công an xã: 0220 3 111 222"`, `value="photo-top" checked`)
	it = itemsOf(t, e, "leaflet")[0]
	f.Set("version", strconv.Itoa(it.Version))
	// Only the hotline changed: saved too (the item itself is unchanged).
	f.Set("hotline", "Công an xã: 0220 3 111 333")
	ed.postMultipart("/items/"+it.ID, f, nil).redirects("/items/" + it.ID + "?saved=1")
	ed.get("/items/" + it.ID).want(200).has(`name="hotline" value="Công an xã: 0220 3 111 333"`)
	ed.postMultipart("/items/"+it.ID, f, nil).redirects("/items/" + it.ID + "?unchanged=1")
	f.Set("hotline", strings.Repeat("1", 61))
	ed.postMultipart("/items/"+it.ID, f, nil).want(http.StatusUnprocessableEntity).has("Đường dây nóng")
	ed.get("/items/" + it.ID).want(200).has(`name="hotline" value="Công an xã: 0220 3 111 333"`)
	// The photo comes later: the leaflet is made with the hotline kept.
	f.Set("hotline", "Công an xã: 0220 3 111 222")
	ed.postMultipart("/items/"+it.ID, f, map[string]map[string][]byte{"photo": {"anh.png": testPhoto(t)}}).redirects("/items/" + it.ID)
	var lv struct{ Hotline, Template string }
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200).JSON(&lv)
	if lv.Hotline != "Công an xã: 0220 3 111 222" || lv.Template != "photo-top" {
		t.Errorf("the first leaflet: %+v", lv)
	}
}

// TestLeafletRenderedBeforeItsTextIsNotApproved: an item whose text changed
// after its leaflet was made cannot be approved (409), and the approval
// page says so instead of offering the button.
func TestLeafletRenderedBeforeItsTextIsNotApproved(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.postMultipart("/items/new", leafletForm("k1"), map[string]map[string][]byte{"photo": {"anh.png": testPhoto(t)}}).redirects("/items/")
	it := itemsOf(t, e, "leaflet")[0]
	tok := e.User(accounts.RoleEditor, "lien-minh")
	// Through the API: withdraw, change the text, submit again without making the leaflet again.
	e.Do("POST", "/api/v1/items/"+it.ID+"/withdraw", tok, nil).Want(200)
	e.Do("PATCH", "/api/v1/items/"+it.ID, tok, map[string]any{"body": "Gọi 113 khi khẩn cấp."}).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", tok, nil).Want(409)
	// Made again from the new text: it can be submitted and approved.
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	var lv struct {
		PhotoMediaID string `json:"photo_media_id"`
	}
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", tok, nil).Want(200).JSON(&lv)
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", tok, map[string]any{"photo_media_id": lv.PhotoMediaID,
		"title": "Nói không với bạo lực", "body": "Gọi 113 khi khẩn cấp.", "hotline": "Tổng đài: 111"}).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", tok, nil).Want(200)
	mgr.get("/approvals").want(200).sound().has("Sẽ đăng lên Trang Facebook", "/media/"+it.ID+"/thumb", "Tải PDF để in (A5)")
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", e.User(accounts.RoleManager, "lien-minh"), nil).Want(200)
}

// TestPostPhotos: a post takes its photos with the form (no JavaScript),
// keeps them on later edits, and drops one that is unticked.
func TestPostPhotos(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	form := url.Values{"form_key": {"p1"}, "kind": {"post"}, "campaign_id": {gbv2026}, "title": {"Hình ảnh ngày hội"},
		"body": {"Cùng xem lại ngày hội."}, "channels": {"facebook"}, "mode": {"once"}, "at_date": {"2026-11-22"},
		"at_time": {"08:00"}, "action": {"save"}}
	files := map[string]map[string][]byte{"photos": {"a.png": testPhoto(t), "b.png": photoBytes(t)}}
	p := ed.postMultipart("/items/new", form, files).redirects("/items/")
	loc := p.Header.Get("Location")
	it := itemsOf(t, e, "post")[0]
	if len(it.MediaIDs) != 2 {
		t.Fatalf("media ids %v", it.MediaIDs)
	}
	page := ed.get(loc).want(200).sound()
	page.has(`name="media_ids" value="`+it.MediaIDs[0]+`"`, "/media/"+it.MediaIDs[0]+"/post")
	e.Do("GET", "/media/"+it.MediaIDs[0]+"/post", e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200)
	// One unticked: it goes, the other stays.
	form.Set("version", "1")
	form["media_ids"] = []string{it.MediaIDs[1]}
	ed.postMultipart("/items/"+it.ID, form, nil).redirects("/items/")
	if got := itemsOf(t, e, "post")[0]; len(got.MediaIDs) != 1 || got.MediaIDs[0] != it.MediaIDs[1] {
		t.Fatalf("after unticking one photo: %v", got.MediaIDs)
	}
}

func photoBytes(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(photoFile(t))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
