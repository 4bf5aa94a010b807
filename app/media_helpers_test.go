package app_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/media/mediatest"
)

// The helpers of the media tests. Their names start with "media" or
// "leaflet" so they do not collide with the other tests of the package.

// mediaCampaign is the campaign the media tests' items belong to.
const mediaCampaign = "lien-minh-gbv-month-2026"

// mediaUpload posts data as the multipart field "file" named filename.
func mediaUpload(e *apptest.Env, token, filename string, data []byte) *apptest.Response {
	e.T.Helper()
	return postFile(e, token, "/api/v1/media", filename, data)
}

// postFile posts data as the multipart field "file" named filename to path,
// after the fields given as name, value pairs.
func postFile(e *apptest.Env, token, path, filename string, data []byte, fields ...string) *apptest.Response {
	e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			e.T.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		e.T.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		e.T.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		e.T.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.Server.URL+path, &body)
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.Send(req)
}

// mediaGet fetches url (absolute) with an optional token and extra header
// pairs, without following redirects.
func mediaGet(e *apptest.Env, url, token string, header ...string) *mediaResponse {
	e.T.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		e.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.T.Fatal(err)
	}
	return &mediaResponse{Response: res, Body: body, t: e.T}
}

// mediaResponse is a response read by mediaGet.
type mediaResponse struct {
	*http.Response
	Body []byte
	t    testing.TB
}

// Want fails the test unless the status is want.
func (r *mediaResponse) Want(want int) *mediaResponse {
	r.t.Helper()
	if r.StatusCode != want {
		r.t.Fatalf("GET %s: status %d, want %d; body %.300s", r.Request.URL, r.StatusCode, want, r.Body)
	}
	return r
}

// mediaPhoto is a sideways phone photo: stored 1200×900 with EXIF
// orientation 6 and a GPS position, displayed 900×1200.
func mediaPhoto(t testing.TB, seed uint64) []byte {
	t.Helper()
	data, err := mediatest.JPEG(mediatest.Photo(1200, 900, seed), mediatest.EXIF{Orientation: 6, GPS: true})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// leafletItem creates a draft leaflet item going out on channels a minute
// after the clock.
func leafletItem(e *apptest.Env, editor string, channels ...string) campaigns.Item {
	e.T.Helper()
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", editor, map[string]any{
		"campaign_id": mediaCampaign, "kind": "leaflet", "title": "Tờ rơi tháng hành động",
		"body": "Tờ rơi phát tại các thôn.", "audiences": []string{"residents"}, "channels": channels,
		"schedule": map[string]any{"at": e.Clock.Now().Add(time.Minute).Format(time.RFC3339)},
	}).Want(201).JSON(&it)
	return it
}

// leafletRequest is the leaflet of the journey in the issue: a title and
// two sentences in Vietnamese, and the hotline.
func leafletRequest(photoID string) map[string]string {
	return map[string]string{"photo_media_id": photoID, "title": mediatest.SampleTitle,
		"body":    "Bạo lực gia đình không phải chuyện riêng. Hãy gọi ngay khi bạn hoặc người thân cần giúp đỡ.",
		"hotline": mediatest.SampleHotline}
}

// leafletRender renders it's leaflet and returns the API's answer.
func leafletRender(e *apptest.Env, editor, itemID string, req any) media.LeafletView {
	e.T.Helper()
	var v media.LeafletView
	e.Do("POST", "/api/v1/items/"+itemID+"/leaflet", editor, req).Want(200).JSON(&v)
	return v
}

// mediaEditor returns an editor of lien-minh and the id of a photo they uploaded.
func mediaEditor(e *apptest.Env) (editor, photoID string) {
	e.T.Helper()
	editor = e.User(accounts.RoleEditor, "lien-minh")
	var u media.Upload
	mediaUpload(e, editor, "IMG_0001.JPG", mediaPhoto(e.T, 3)).Want(201).JSON(&u)
	return editor, u.ID
}

// jpegSize decodes the header of JPEG data.
func jpegSize(t testing.TB, data []byte) image.Point {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	return image.Pt(cfg.Width, cfg.Height)
}

// readQR decodes the QR code in a JPEG, as a phone would.
func readQR(t testing.TB, data []byte) string {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code found: %v", err)
	}
	return res.GetText()
}

// pngBomb is a PNG signature and header declaring w×h pixels, and no pixel
// data: what a decoder that trusted it would allocate for.
func pngBomb(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 13)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	ihdr = binary.BigEndian.AppendUint32(ihdr, crc32.ChecksumIEEE(ihdr[4:]))
	return append([]byte("\x89PNG\r\n\x1a\n"), ihdr...)
}
