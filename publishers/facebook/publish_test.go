package facebook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

func TestPublishTextPost(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)

	rc, err := b.client.Publish(t.Context(), b.delivery(), text("Ngày 25/11", "Hãy lên tiếng chống bạo lực."))
	if err != nil {
		t.Fatal(err)
	}
	calls := b.fake.MustCalls(t, 1, "1")
	c := calls[0]
	if c.Method != http.MethodPost || c.Path != "/"+pageID+"/feed" || c.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("request = %s %s %s", c.Method, c.Path, c.ContentType)
	}
	if got := c.Form.Get("message"); got != "Ngày 25/11\n\nHãy lên tiếng chống bạo lực." {
		t.Errorf("message = %q", got)
	}
	if c.Form.Get("access_token") != pageToken || c.Form.Has("link") || c.Form.Has("appsecret_proof") {
		t.Errorf("form = %v", c.Form)
	}
	posts := b.fake.Posts()
	if len(posts) != 1 || rc.ExternalID != posts[0].ID || !strings.HasPrefix(rc.ExternalID, pageID+"_") {
		t.Errorf("receipt %+v, posts %+v", rc, posts)
	}
	if rc.URL != "https://www.facebook.com/"+rc.ExternalID {
		t.Errorf("url = %q", rc.URL)
	}
}

func TestPublishLinkPost(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := text("", "Đường dây nóng 111")
	ct.Link = "https://lienminh.example.vn/ho-tro"

	if _, err := b.client.Publish(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	c := b.fake.Calls()[0]
	if c.Form.Get("link") != ct.Link || c.Form.Get("message") != "Đường dây nóng 111" {
		t.Errorf("form = %v", c.Form)
	}
	if p := b.fake.Posts(); len(p) != 1 || p[0].Link != ct.Link {
		t.Errorf("posts = %+v", p)
	}
}

func TestPublishSinglePhotoIsMultipartSource(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := text("Tờ rơi", "Bình đẳng giới")
	ct.Link = "https://lienminh.example.vn/q/abc"
	ct.Images = []publishers.Image{publishertest.PNG(t, "leaflet.png")}

	rc, err := b.client.Publish(t.Context(), b.delivery(), ct)
	if err != nil {
		t.Fatal(err)
	}
	calls := b.fake.MustCalls(t, 1, "1")
	c := calls[0]
	if c.Path != "/"+pageID+"/photos" || c.ContentType != "multipart/form-data" {
		t.Errorf("request = %s %s", c.Path, c.ContentType)
	}
	src, ok := c.Files["source"]
	if !ok || src.Sniffed != "image/png" || src.Filename != "leaflet.png" || src.Size != len(ct.Images[0].Data) {
		t.Errorf("source part = %+v (present %v)", src, ok)
	}
	if got, want := c.Form.Get("caption"), "Tờ rơi\n\nBình đẳng giới\n\n"+ct.Link; got != want {
		t.Errorf("caption = %q, want %q", got, want)
	}
	if c.Form.Has("published") || c.Form.Get("access_token") != pageToken {
		t.Errorf("form = %v", c.Form)
	}
	posts := b.fake.Posts()
	if len(posts) != 1 || posts[0].ID != rc.ExternalID {
		t.Errorf("receipt %+v, posts %+v", rc, posts)
	}
}

func TestPublishSeveralPhotosAttachesUnpublishedPhotos(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := text("Ba ảnh", "Hội thi")
	ct.Images = []publishers.Image{publishertest.PNG(t, "a.png"), publishertest.PNG(t, "b.png"), publishertest.PNG(t, "c.png")}

	rc, err := b.client.Publish(t.Context(), b.delivery(), ct)
	if err != nil {
		t.Fatal(err)
	}
	calls := b.fake.MustCalls(t, 4, "3 photos + 1 feed")
	for _, c := range calls[:3] {
		if c.Path != "/"+pageID+"/photos" || c.Form.Get("published") != "false" || c.Files["source"].Sniffed != "image/png" {
			t.Errorf("photo call = %+v", c)
		}
		if c.Form.Has("temporary") {
			t.Error("temporary sent for a post that is not scheduled")
		}
	}
	var photoIDs []string
	if posts := b.fake.Posts(); len(posts) == 1 {
		photoIDs = posts[0].PhotoIDs
	}
	feed := calls[3]
	if feed.Path != "/"+pageID+"/feed" || feed.Form.Get("message") != "Ba ảnh\n\nHội thi" {
		t.Errorf("feed call = %+v", feed)
	}
	for i, id := range photoIDs {
		want, _ := json.Marshal(map[string]string{"media_fbid": id})
		if got := feed.Form.Get(fmt.Sprintf("attached_media[%d]", i)); got != string(want) {
			t.Errorf("attached_media[%d] = %q, want %q", i, got, want)
		}
	}
	posts := b.fake.Posts()
	if len(posts) != 1 || len(posts[0].PhotoIDs) != 3 || posts[0].ID != rc.ExternalID {
		t.Errorf("posts = %+v, receipt %+v", posts, rc)
	}
}

func TestAppSecretProofOnEveryCall(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) { c.AppSecret = appSecret }, facebooktest.WithAppSecret(appSecret))
	ct := text("", "Có ảnh")
	ct.Images = []publishers.Image{publishertest.PNG(t, "a.png"), publishertest.PNG(t, "b.png")}

	if _, err := b.client.Publish(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.client.Reconcile(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(pageToken))
	want := hex.EncodeToString(m.Sum(nil))
	if facebook.AppSecretProof(appSecret, pageToken) != want {
		t.Fatal("AppSecretProof disagrees with HMAC-SHA256(app_secret, token)")
	}
	calls := b.fake.MustCalls(t, 4, "4")
	for _, c := range calls {
		if got := c.Form.Get("appsecret_proof"); got != want {
			t.Errorf("%s %s: appsecret_proof = %q, want %q", c.Method, c.Path, got, want)
		}
	}
}

func TestMissingProofIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, nil, facebooktest.WithAppSecret(appSecret))

	_, err := b.client.Publish(t.Context(), b.delivery(), text("", "x"))
	if class, pe := publishertest.ClassOf(t, err); class != publishers.Permanent || pe.Code != "100" {
		t.Errorf("class %v code %q, want permanent 100", class, pe.Code)
	}
	if len(b.fake.Posts()) != 0 {
		t.Error("a post was made without the proof")
	}
}

func TestTooManyImagesFailsWithoutCalling(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) { c.MaxImages = 2 })
	ct := text("", "x")
	ct.Images = []publishers.Image{publishertest.PNG(t, "a.png"), publishertest.PNG(t, "b.png"), publishertest.PNG(t, "c.png")}

	_, err := b.client.Publish(t.Context(), b.delivery(), ct)
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Permanent {
		t.Errorf("class = %v, want permanent", class)
	}
	if n := len(b.fake.Calls()); n != 0 {
		t.Errorf("calls = %d, want 0", n)
	}
}
