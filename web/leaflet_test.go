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

	ed.get(path).want(200).sound().has("Thiết kế tờ rơi", "Tải ảnh lên", `enctype="multipart/form-data"`, "Hãy tải ảnh lên trước.",
		`value="Nói không với bạo lực gia đình"`, "Ảnh ở trên, chữ ở dưới")
	ed.uploadPhoto(path+"/photo", "notes.txt", []byte("not a photo")).want(http.StatusUnprocessableEntity).sound().has("Không dùng được ảnh này")
	ed.post(path+"/photo", nil).want(http.StatusUnprocessableEntity).has("Hãy chọn một ảnh để tải lên.")
	p := ed.uploadPhoto(path+"/photo", "anh.png", testPhoto(t)).redirects(path + "?photo=")
	photo, _ := url.Parse(p.Header.Get("Location"))
	ed.get(photo.String()).want(200).sound().has("Đã tải ảnh lên.", `name="photo" value="`+photo.Query().Get("photo")+`"`)

	ed.post(path, url.Values{"photo": {photo.Query().Get("photo")}, "title": {"Nói không với bạo lực gia đình"},
		"body": {"Gọi 111 khi cần giúp."}, "hotline": {"111"}, "template": {"photo-top"}}).redirects(path + "?rendered=1")
	p = ed.get(path + "?rendered=1").want(200).sound()
	p.has("Đã tạo tờ rơi.", "Ảnh thu nhỏ", "Ảnh cho Facebook", "/leaflet.pdf", "Tải PDF để in (A5)", "<img", `value="111"`)
	for _, m := range regexp.MustCompile(`<img src="[^"]*(/media/[^"]+)"`).FindAllStringSubmatch(p.Body, -1) {
		u, _ := url.Parse(m[1])
		ed.get(u.RequestURI()).want(200)
	}
	ed.post(path, url.Values{"photo": {"x-unknown"}, "title": {"Tờ rơi"}}).want(http.StatusUnprocessableEntity)
	ed.post(path, url.Values{"photo": {photo.Query().Get("photo")}, "title": {""}}).want(http.StatusUnprocessableEntity).has("Nội dung tờ rơi chưa hợp lệ")

	as(t, e, accounts.RoleManager, "lien-minh").get(path).want(http.StatusForbidden)
	as(t, e, accounts.RoleEditor, "lien-minh").post(path, nil).want(http.StatusUnprocessableEntity)
	ed.get("/items/x-unknown/leaflet").want(http.StatusNotFound)
}
