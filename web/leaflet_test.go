package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// uploadPhoto posts a file as the studio's upload form does.
func (b *browser) uploadPhoto(path, name string, data []byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("csrf", b.csrf())
	fw, _ := w.CreateFormFile("photo", name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, b.e.Server.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.origin)
	return b.do(req)
}

func testPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	for y := range 900 {
		for x := range 1200 {
			img.Set(x, y, color.RGBA{uint8(x / 5), uint8(y / 4), 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLeafletStudio(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	edTok := e.User(accounts.RoleEditor, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", edTok, map[string]any{"campaign_id": gbv2026, "kind": "leaflet", "title": "Nói không với bạo lực gia đình",
		"body": "Gọi 111 khi cần giúp.", "audiences": []string{"residents"}, "channels": []string{"print"},
		"schedule": map[string]any{"at": e.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}}).Want(201).JSON(&it)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	path := "/items/" + it.ID + "/leaflet"
	// The item's editor takes the leaflet's photo, hotline and template.
	ed.get("/items/"+it.ID).want(200).has(`name="photo"`, `name="hotline"`, `name="template"`, `enctype="multipart/form-data"`)
	as(t, e, accounts.RoleManager, "lien-minh").get("/items/" + it.ID).want(200).lacks(`href="` + path + `"`)

	// The studio shows the item's words, which it prints, and sends the
	// editor to the item's page to change them: one text, approved and printed.
	ed.get(path).want(200).sound().has("Thiết kế tờ rơi", "Tải ảnh lên", `enctype="multipart/form-data"`, "Hãy tải ảnh lên trước.",
		`<p class="lf-text-title">Nói không với bạo lực gia đình</p>`, "Gọi 111 khi cần giúp.", "Sửa tiêu đề và nội dung",
		"Ảnh ở trên, chữ ở dưới").lacks(`name="title"`, `name="body"`)
	ed.uploadPhoto(path+"/photo", "notes.txt", []byte("not a photo")).want(http.StatusUnprocessableEntity).sound().has("Không dùng được ảnh này")
	ed.post(path+"/photo", nil).want(http.StatusUnprocessableEntity).has("Hãy chọn một ảnh để tải lên.")
	p := ed.uploadPhoto(path+"/photo", "anh.png", testPhoto(t)).redirects(path + "?photo=")
	photo, _ := url.Parse(p.Header.Get("Location"))
	ed.get(photo.String()).want(200).sound().has("Đã tải ảnh lên.", `name="photo" value="`+photo.Query().Get("photo")+`"`)

	// A title or body sent with the form (an old page) is not the leaflet's:
	// the render takes the item's.
	ed.post(path, url.Values{"photo": {photo.Query().Get("photo")}, "title": {"Chữ khác"},
		"body": {"Nội dung khác"}, "hotline": {"111"}, "template": {"photo-top"}}).redirects(path + "?rendered=1")
	p = ed.get(path + "?rendered=1").want(200).sound()
	p.has("Đã tạo tờ rơi.", "Ảnh thu nhỏ", "Ảnh cho Facebook", "/leaflet.pdf", "Tải PDF để in (A5)", "<img", `value="111"`).
		lacks("Chữ khác", "Nội dung khác", "tiêu đề hoặc nội dung cũ")
	var lv struct{ Title, Body, Hotline string }
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", edTok, nil).Want(200).JSON(&lv)
	if lv.Title != "Nói không với bạo lực gia đình" || lv.Body != "Gọi 111 khi cần giúp." || lv.Hotline != "111" {
		t.Errorf("studio rendered %+v, want the item's title and body with hotline 111", lv)
	}
	for _, m := range regexp.MustCompile(`<img src="[^"]*(/media/[^"]+)"`).FindAllStringSubmatch(p.Body, -1) {
		u, _ := url.Parse(m[1])
		ed.get(u.RequestURI()).want(200)
	}
	ed.post(path, url.Values{"photo": {"x-unknown"}}).want(http.StatusUnprocessableEntity)
	ed.post(path, url.Values{"photo": {photo.Query().Get("photo")}, "hotline": {strings.Repeat("1", 200)}}).
		want(http.StatusUnprocessableEntity).has("Nội dung tờ rơi chưa hợp lệ")

	// Rendered through the API with other words, the studio says the leaflet
	// is not the item's text, until it is rendered again from the studio.
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", edTok, map[string]any{"photo_media_id": photo.Query().Get("photo"),
		"title": "Một tiêu đề khác", "body": "Một nội dung khác.", "hotline": "111"}).Want(200)
	ed.get(path).want(200).has("tiêu đề hoặc nội dung cũ", "Bấm “Tạo tờ rơi”", `<p class="lf-text-title">Nói không với bạo lực gia đình</p>`)
	// Submitted so, it cannot be made again here: the page says to edit the item first.
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", edTok, nil).Want(200)
	ed.get(path).want(200).has("tiêu đề hoặc nội dung cũ", "hãy sửa bài để đưa về bản nháp").lacks("Bấm “Tạo tờ rơi”")
	e.Do("POST", "/api/v1/items/"+it.ID+"/withdraw", edTok, nil).Want(200)
	ed.post(path, url.Values{"photo": {photo.Query().Get("photo")}, "hotline": {"111"}}).redirects(path + "?rendered=1")
	ed.get(path).want(200).lacks("tiêu đề hoặc nội dung cũ")

	as(t, e, accounts.RoleManager, "lien-minh").get(path).want(http.StatusForbidden)
	as(t, e, accounts.RoleEditor, "lien-minh").post(path, nil).want(http.StatusUnprocessableEntity)
	ed.get("/items/x-unknown/leaflet").want(http.StatusNotFound)
}
