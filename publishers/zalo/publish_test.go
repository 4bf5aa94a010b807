package zalo_test

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

func TestPublishRefreshesCreatesAndVerifies(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := post(t, "Ngày 25/11", "Bạo lực <không> phải chuyện riêng.\n\nGọi 111 & 113.")
	initial := b.fake.InitialRefreshToken()

	rc, err := b.client.Publish(t.Context(), b.delivery(), ct)
	if err != nil {
		t.Fatal(err)
	}
	calls := b.fake.MustCalls(t, 5, "refresh, create, 3 verify")
	ref := calls[0]
	if ref.Path != "/v4/oa/access_token" || ref.Method != http.MethodPost || ref.ContentType != "application/x-www-form-urlencoded" ||
		ref.SecretKey != b.fake.AppSecret || ref.Form.Get("refresh_token") != initial ||
		ref.Form.Get("app_id") != b.fake.AppID || ref.Form.Get("grant_type") != "refresh_token" {
		t.Errorf("refresh call = %+v", ref)
	}
	create := calls[1]
	if create.Path != "/v2.0/article/create" || create.ContentType != "application/json" || create.AccessToken == "" {
		t.Errorf("create call = %+v", create)
	}
	var body map[string]any
	if err := json.Unmarshal(create.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"type": "normal", "title": "Ngày 25/11", "author": "UBND xã Liên Minh",
		"description": "Bạo lực <không> phải chuyện riêng.", "status": "show", "comment": "show",
		"cover": map[string]any{"cover_type": "photo", "photo_url": "https://lienminh.example.vn/media/cover.png", "status": "show"},
		"body":  []any{map[string]any{"type": "text", "content": "<p>Bạo lực &lt;không&gt; phải chuyện riêng.</p><p>Gọi 111 &amp; 113.</p>"}},
	}
	for k, v := range want {
		if got, _ := json.Marshal(body[k]); string(got) != mustJSON(v) {
			t.Errorf("create %s = %s, want %s", k, got, mustJSON(v))
		}
	}
	for _, v := range calls[2:] {
		if v.Path != "/v2.0/article/verify" || v.AccessToken != create.AccessToken || !strings.Contains(string(v.Body), `"token":"`) {
			t.Errorf("verify call = %+v", v)
		}
	}
	arts := b.fake.Articles()
	if len(arts) != 1 || rc.ExternalID != arts[0].ID {
		t.Errorf("receipt %+v, articles %+v", rc, arts)
	}
	if len(b.fake.Broadcasts()) != 0 {
		t.Error("broadcast sent without Config.Broadcast")
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestPublishBroadcastsToAllFollowers(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) { c.Broadcast = true })

	rc, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Tọa đàm", "Mời bà con dự."))
	if err != nil {
		t.Fatal(err)
	}
	msgs := b.callsTo("/v2.0/oa/message")
	if len(msgs) != 1 || msgs[0].ContentType != "application/json" || msgs[0].AccessToken == "" {
		t.Fatalf("broadcast calls = %+v", msgs)
	}
	wantBody := `{"message":{"attachment":{"payload":{"elements":[{"attachment_id":"` + rc.ExternalID +
		`","media_type":"article"}],"template_type":"media"},"type":"template"}},"recipient":{"target":{}}}`
	if string(msgs[0].Body) != wantBody {
		t.Errorf("broadcast body = %s\nwant %s", msgs[0].Body, wantBody)
	}
	if bc := b.fake.Broadcasts(); len(bc) != 1 || bc[0].ArticleIDs[0] != rc.ExternalID || len(bc[0].Target) != 0 {
		t.Errorf("broadcasts = %+v", bc)
	}
}

func TestFailedBroadcastDoesNotFailThePublishedArticle(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) {
		c.Broadcast = true
		c.HTTP = &http.Client{Transport: failPath{path: "/v2.0/oa/message"}}
	})

	rc, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Một", "x"))
	if err != nil || rc.ExternalID == "" {
		t.Fatalf("publish = %+v, %v; want the article despite the broadcast", rc, err)
	}
	if n := len(b.fake.Articles()); n != 1 {
		t.Errorf("articles = %d, want 1", n)
	}
	if h := b.client.Health(); !strings.Contains(h.LastError, "broadcast failed") {
		t.Errorf("health = %+v, want the broadcast failure shown", h)
	}
}

// failPath answers status (default HTTP 500) for one path and passes the
// rest through.
type failPath struct {
	path   string
	status int
}

func (f failPath) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == f.path {
		return &http.Response{StatusCode: cmp.Or(f.status, http.StatusInternalServerError), Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestGatewayTimeoutOnCreateIsUnknown: a gateway that gave up waiting for
// article/create may have let it through: the article may exist.
func TestGatewayTimeoutOnCreateIsUnknown(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) {
		c.HTTP = &http.Client{Transport: failPath{"/v2.0/article/create", http.StatusGatewayTimeout}}
	})
	_, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Một", "x"))
	if class, pe := publishertest.ClassOf(t, err); class != publishers.Unknown || pe.Code != "http 504" {
		t.Errorf("publish through a 504: %v %q, want unknown (the article may exist)", class, pe.Code)
	}
}

func TestArticleFieldsAreCappedAndCoverEncoded(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) {
		c.PublicURL = func(publishers.Image) string { return "https://cdn.example.vn/ảnh bìa.jpg?v=1 2" }
		c.Author = strings.Repeat("Ủy ban ", 20)
	})
	ct := post(t, strings.Repeat("Bình đẳng giới ", 20), strings.Repeat("Phòng chống bạo lực. ", 30))
	ct.Images = append(ct.Images, publishertest.PNG(t, "b.png"))

	if _, err := b.client.Publish(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	a := b.fake.Articles()[0]
	if n := utf8.RuneCountInString(a.Title); n > 140 || !strings.HasSuffix(a.Title, "…") {
		t.Errorf("title has %d characters: %q", n, a.Title)
	}
	if n := utf8.RuneCountInString(a.Description); n > 250 {
		t.Errorf("description has %d characters", n)
	}
	if n := utf8.RuneCountInString(a.Author); n > 50 {
		t.Errorf("author has %d characters", n)
	}
	if a.CoverURL != "https://cdn.example.vn/%E1%BA%A3nh%20b%C3%ACa.jpg?v=1%202" {
		t.Errorf("cover = %q", a.CoverURL)
	}
	if len(a.Body) != 2 || a.Body[1]["type"] != "image" {
		t.Errorf("body = %v, want text then the second image", a.Body)
	}
}

func TestNoCoverFailsWithoutCalling(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	_, err := b.client.Publish(t.Context(), b.delivery(), publishers.Content{Title: "Không ảnh", Body: "x"})
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Permanent {
		t.Errorf("class = %v, want permanent", class)
	}
	if n := len(b.fake.Calls()); n != 0 {
		t.Errorf("calls = %d, want 0", n)
	}
}

func TestVerifyKeepsPollingThroughProcessingCodes(t *testing.T) {
	t.Parallel()
	b := setup(t, nil, zalotest.WithVerifyPolls(4), zalotest.WithProcessingError(-1001))

	rc, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Chờ xử lý", "x"))
	if err != nil || rc.ExternalID == "" {
		t.Fatalf("publish = %+v, %v", rc, err)
	}
	if n := len(b.callsTo("/v2.0/article/verify")); n != 5 {
		t.Errorf("verify polls = %d, want 5", n)
	}
}

func TestUploadImage(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	id, err := b.client.UploadImage(t.Context(), publishertest.PNG(t, "a.png"))
	if err != nil || id == "" {
		t.Fatalf("upload = %q, %v", id, err)
	}
	up := b.callsTo("/v2.0/oa/upload/image")
	if len(up) != 1 || up[0].ContentType != "multipart/form-data" || up[0].AccessToken == "" {
		t.Errorf("upload calls = %+v", up)
	}
	big := publishers.Image{Name: "big.png", Data: append(publishertest.PNG(t, "x").Data, make([]byte, 1<<20)...)}
	if _, err := b.client.UploadImage(t.Context(), big); err == nil {
		t.Error("an image above 1 MB was accepted")
	}
	if n := len(b.callsTo("/v2.0/oa/upload/image")); n != 1 {
		t.Errorf("upload calls = %d, want the big image refused locally", n)
	}
}
