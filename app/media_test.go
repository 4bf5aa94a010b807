package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/media/mediatest"
)

// webpLossless is a 3×2 lossless WebP made with ImageMagick.
var webpLossless, _ = hex.DecodeString("524946461c000000574542505650384c0f0000002f024000000710fd8ffe0722a2ff0100")

func TestMediaUploadFormatsAndLimits(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")

	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, mediatest.Photo(64, 48, 1)); err != nil {
		t.Fatal(err)
	}
	plain, err := mediatest.PhotoJPEG(1200, 900, 2)
	if err != nil {
		t.Fatal(err)
	}
	sideways := mediaPhoto(t, 4)
	cases := []struct {
		name, filename string
		data           []byte
		format         media.Format
		w, h           int
	}{
		{"jpeg", "a.jpg", plain, media.FormatJPEG, 1200, 900},
		{"png named .jpg: recognised by content", "b.jpg", pngBuf.Bytes(), media.FormatPNG, 64, 48},
		{"webp", "c", webpLossless, media.FormatWebP, 3, 2},
		{"sideways phone photo, EXIF orientation 6", "IMG_0002.JPG", sideways, media.FormatJPEG, 900, 1200},
	}
	for _, c := range cases {
		var u media.Upload
		mediaUpload(e, ed, c.filename, c.data).Want(201).JSON(&u)
		if u.ID == "" || u.Format != c.format || u.Width != c.w || u.Height != c.h || u.Bytes != len(c.data) {
			t.Errorf("%s: %+v, want %s %d×%d of %d bytes", c.name, u, c.format, c.w, c.h, len(c.data))
		}
		var doc bson.M
		if err := e.DB.Collection("media").FindOne(t.Context(), bson.M{"_id": u.ID}).Decode(&doc); err != nil {
			t.Fatalf("%s: metadata document: %v", c.name, err)
		}
		sum := sha256.Sum256(c.data)
		if doc["commune_id"] != "lien-minh" || doc["sha256"] != hex.EncodeToString(sum[:]) || doc["uploaded_by"] != "editor-lien-minh" ||
			doc["created_at"] == nil || doc["width"] != int32(c.w) {
			t.Errorf("%s: metadata %v", c.name, doc)
		}
		// The original is kept as it came, for signed-in users of the commune.
		r := mediaGet(e, e.Server.URL+"/media/"+u.ID+"/original", ed).Want(200)
		if !bytes.Equal(r.Body, c.data) || r.Header.Get("ETag") != `"`+u.SHA256+`"` || r.Header.Get("Content-Type") != c.format.ContentType() {
			t.Errorf("%s: original served as %d bytes, %v", c.name, len(r.Body), r.Header)
		}
	}

	refused := []struct {
		name   string
		data   []byte
		status int
		code   string
	}{
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 415, "unsupported_media_type"},
		{"text named .jpg", []byte("hello, this is not a photo"), 415, "unsupported_media_type"},
		{"over 20 MB", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, media.MaxBytes)...), 413, "too_large"},
		{"a 100-megapixel header (pixel bomb)", pngBomb(10000, 10000), 413, "too_many_pixels"},
		{"a truncated JPEG", plain[:len(plain)/2], 422, "corrupt_image"},
	}
	for _, c := range refused {
		r := mediaUpload(e, ed, "x.jpg", c.data).Want(c.status)
		var b struct {
			Error struct{ Code, Message string }
		}
		r.JSON(&b)
		if b.Error.Code != c.code || b.Error.Message == "" {
			t.Errorf("%s: error %+v, want code %s and a message", c.name, b.Error, c.code)
		}
	}
	if n, _ := e.DB.Collection("media").CountDocuments(t.Context(), bson.M{}); n != int64(len(cases)) {
		t.Fatalf("%d uploads stored, want %d: refused files must leave nothing", n, len(cases))
	}
	e.Do("POST", "/api/v1/media", ed, `{"file":"x"}`).Want(400)
	var empty bytes.Buffer
	mw := multipart.NewWriter(&empty)
	_ = mw.WriteField("note", "no file here")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/media", &empty)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+ed)
	if r := e.Send(req).Want(400); !strings.Contains(string(r.Body), `"field":"file"`) {
		t.Fatalf("no file: %s", r.Body)
	}
	mediaUpload(e, e.User(accounts.RoleManager, "lien-minh"), "a.jpg", plain).Want(403)
	mediaUpload(e, "", "a.jpg", plain).Want(401)
}

// countingReader is an endless stream of JPEG-looking bytes that counts
// how much of it was read.
type countingReader struct{ n, limit int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n >= r.limit {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.limit-r.n)]
	for i := range p {
		p[i] = 0xFF
	}
	r.n += int64(len(p))
	return len(p), nil
}

// TestMediaUploadOfOneGigabyteIsCutOffEarly sends a 1 GB multipart body
// and checks that the server stops reading it a little after 20 MB.
func TestMediaUploadOfOneGigabyteIsCutOffEarly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	head := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
	body := &countingReader{limit: 1 << 30}
	req := httptest.NewRequest("POST", "/api/v1/media", io.MultiReader(strings.NewReader(head), body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", "Bearer "+ed)
	rec := httptest.NewRecorder()
	e.App.Handler.ServeHTTP(rec, req)
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), `"code":"too_large"`) {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	t.Logf("read %d bytes of the 1 GB body", body.n)
	if body.n > media.MaxBytes+(1<<20) {
		t.Fatalf("read %d bytes of a 1 GB upload; the limit is %d", body.n, media.MaxBytes)
	}

	// Declared in Content-Length, it is refused before a byte is read.
	body = &countingReader{limit: 1 << 30}
	req = httptest.NewRequest("POST", "/api/v1/media", io.MultiReader(strings.NewReader(head), body))
	req.ContentLength = int64(len(head)) + body.limit
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", "Bearer "+ed)
	rec = httptest.NewRecorder()
	e.App.Handler.ServeHTTP(rec, req)
	if rec.Code != 413 || body.n != 0 {
		t.Fatalf("declared 1 GB: status %d after reading %d bytes", rec.Code, body.n)
	}
}
