package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/portal"
	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/webhook"
)

const secret = "portalSECRETkey-7f3a"

// receiver is a portal that verifies signatures and de-duplicates by
// Idempotency-Key, as the webhook contract asks receivers to.
type receiver struct {
	mu      sync.Mutex
	srv     *httptest.Server
	bodies  [][]byte
	keys    []string
	entries map[string]portal.Payload
	status  int           // answer with this instead of 204 when set
	delay   time.Duration // answer after this long
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{entries: map[string]portal.Payload{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		if !webhook.Verify(secret, b, req.Header.Get(webhook.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		key := req.Header.Get(portal.IdempotencyHeader)
		r.keys = append(r.keys, key)
		var p portal.Payload
		_ = json.Unmarshal(b, &p)
		r.entries[key] = p
		status, delay := r.status, r.delay
		r.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-req.Context().Done():
				return
			}
		}
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func delivery() publishers.Delivery {
	return publishers.Delivery{ID: "d-123", CommuneID: "lien-minh", ItemID: "item-9", CampaignID: "lien-minh-gbv-month-2026",
		Channel: "portal", DueAt: time.Date(2026, 11, 25, 6, 0, 0, 0, time.FixedZone("ICT", 7*3600)), Attempt: 1}
}

func content() publishers.Content {
	return publishers.Content{Kind: "post", Title: `Ngày 25/11 <script>alert("x")</script> & bạn`,
		Body:   "Dòng một <b>đậm</b>\nvẫn đoạn một.\n\nĐoạn hai & \"trích dẫn\".",
		Link:   "https://lienminh.example.vn/tin/25-11?a=1&b=2",
		Images: []publishers.Image{{Name: "leaflet.jpg", URL: "https://lantoa.example.vn/media/L1/facebook"}}}
}

func TestPublishSignsAndSendsTheContract(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	c := portal.New(portal.Config{WebhookURL: r.srv.URL + "/hook", Secret: secret})
	rec, err := c.Publish(t.Context(), delivery(), content())
	if err != nil {
		t.Fatal(err)
	}
	if rec.ExternalID != portal.EntryID("item-9") || !strings.HasPrefix(rec.ExternalID, "urn:uuid:") {
		t.Fatalf("receipt %+v", rec)
	}
	if len(r.bodies) != 1 || r.keys[0] != "d-123" {
		t.Fatalf("bodies %d, keys %v", len(r.bodies), r.keys)
	}
	var m map[string]any
	if err := json.Unmarshal(r.bodies[0], &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"id", "delivery_id", "item_id", "campaign_id", "title", "body", "link", "image_url", "published_at"} {
		if _, ok := m[f]; !ok {
			t.Errorf("payload lacks %q: %s", f, r.bodies[0])
		}
	}
	p := r.entries["d-123"]
	if p.ID != rec.ExternalID || p.ItemID != "item-9" || p.CampaignID != "lien-minh-gbv-month-2026" || p.ImageURL != "https://lantoa.example.vn/media/L1/facebook" {
		t.Errorf("payload %+v", p)
	}
	wantBody := "<p>Dòng một &lt;b&gt;đậm&lt;/b&gt;<br>vẫn đoạn một.</p><p>Đoạn hai &amp; &#34;trích dẫn&#34;.</p>"
	if p.Body != wantBody {
		t.Errorf("body\n got %s\nwant %s", p.Body, wantBody)
	}
	if !p.PublishedAt.Equal(delivery().DueAt) || m["published_at"] != "2026-11-24T23:00:00Z" {
		t.Errorf("published_at %v", m["published_at"])
	}
	if h := c.Health(); !h.Configured || !h.Healthy || h.LastError != "" {
		t.Errorf("health %+v", h)
	}
}

func TestResendIsTheSameRequest(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	c := portal.New(portal.Config{WebhookURL: r.srv.URL, Secret: secret})
	for range 2 {
		if _, err := c.Publish(t.Context(), delivery(), content()); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(r.bodies[0], r.bodies[1]) || r.keys[0] != r.keys[1] {
		t.Fatalf("a resend must repeat the body and key:\n%s\n%s", r.bodies[0], r.bodies[1])
	}
	if len(r.entries) != 1 {
		t.Fatalf("the receiver holds %d entries, want 1", len(r.entries))
	}
	if _, found, err := c.Reconcile(t.Context(), delivery(), content()); found || err != nil {
		t.Fatalf("reconcile = %v, %v; the portal cannot be asked", found, err)
	}
}

func TestErrorsAreClassified(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		want   publishers.Class
	}{
		{http.StatusServiceUnavailable, publishers.Transient},
		{http.StatusTooManyRequests, publishers.Throttled},
		{http.StatusBadRequest, publishers.Permanent},
		{http.StatusFound, publishers.Permanent},
	}
	for _, tc := range cases {
		r := newReceiver(t)
		r.status = tc.status
		c := portal.New(portal.Config{WebhookURL: r.srv.URL + "/hook?key=" + secret, Secret: secret})
		_, err := c.Publish(t.Context(), delivery(), content())
		if class, _ := publishers.Classify(err); class != tc.want {
			t.Errorf("HTTP %d: class %v (%v), want %v", tc.status, class, err, tc.want)
		}
		h := c.Health()
		if h.Healthy || h.LastError == "" || strings.Contains(h.LastError, secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("HTTP %d: health %+v / %v", tc.status, h, err)
		}
		c.Reconnected()
		if h := c.Health(); !h.Healthy || h.LastError != "" {
			t.Errorf("after Reconnected: %+v", h)
		}
	}
	// A receiver that takes the request and never answers in time: the
	// outcome is unknown, and the dispatcher will reconcile.
	r := newReceiver(t)
	r.delay = 5 * time.Second
	c := portal.New(portal.Config{WebhookURL: r.srv.URL, Secret: secret, Timeout: 200 * time.Millisecond})
	_, err := c.Publish(t.Context(), delivery(), content())
	if class, _ := publishers.Classify(err); class != publishers.Unknown {
		t.Errorf("timeout: class %v (%v), want unknown", class, err)
	}
	// Nothing listening: not sent at all.
	_, err = portal.New(portal.Config{WebhookURL: publishertest.RefusedURL(t), Secret: secret}).Publish(context.Background(), delivery(), content())
	if class, _ := publishers.Classify(err); class != publishers.Transient {
		t.Errorf("refused: class %v (%v), want transient", class, err)
	}
	var pe *publishers.Error
	if _, err := portal.New(portal.Config{}).Publish(t.Context(), delivery(), content()); !errors.As(err, &pe) || pe.Class != publishers.Permanent {
		t.Errorf("unconfigured: %v", err)
	}
}

func TestEntryIDIsStableUUID(t *testing.T) {
	t.Parallel()
	a, b := portal.EntryID("item-9"), portal.EntryID("item-9")
	if a != b || a == portal.EntryID("item-10") {
		t.Fatalf("ids %s %s", a, portal.EntryID("item-10"))
	}
	if !regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(a) {
		t.Fatalf("%s is not a version 5 UUID URN", a)
	}
}

// parsed is the feed as a reader sees it.
type parsed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []parsedLink `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Content   struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"content"`
		Links []parsedLink `xml:"link"`
	} `xml:"entry"`
}

type parsedLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func TestFeedParsesBackWithEscapedContent(t *testing.T) {
	t.Parallel()
	ct := content()
	t1 := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	f := portal.Feed{ID: "tag:lantoa.example.vn,2026:portal/lien-minh", Title: "Xã Liên Minh", Author: "Xã Liên Minh",
		SelfURL: "https://lantoa.example.vn/feed.atom?commune=lien-minh&x=1",
		Entries: []portal.Entry{
			{ID: portal.EntryID("item-9"), Title: ct.Title, HTML: portal.HTML(ct.Body), Link: ct.Link,
				Enclosure: "https://lantoa.example.vn/media/L1/facebook", Published: t1, Updated: t1.Add(time.Hour)},
			{ID: portal.EntryID("item-8"), Title: "Bài không có liên kết", HTML: portal.HTML("Nội dung"), Published: t1, Updated: t1},
		}}
	var buf bytes.Buffer
	if err := portal.WriteFeed(&buf, f); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if strings.Contains(raw, "<script>") || strings.Contains(raw, "<b>") {
		t.Fatalf("markup is live in the feed:\n%s", raw)
	}
	var got parsed
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("parsing the feed back: %v\n%s", err, raw)
	}
	if got.ID != f.ID || got.Title != "Xã Liên Minh" || got.Author.Name == "" || got.Lang != "vi" || got.Updated != "2026-11-25T07:00:00Z" {
		t.Errorf("feed head %+v", got)
	}
	if len(got.Links) == 0 || got.Links[0].Rel != "self" || got.Links[0].Href != f.SelfURL {
		t.Errorf("self link %+v", got.Links)
	}
	if len(got.Entries) != 2 {
		t.Fatalf("%d entries", len(got.Entries))
	}
	e := got.Entries[0]
	if e.ID != portal.EntryID("item-9") || e.Title != ct.Title || e.Updated != "2026-11-25T07:00:00Z" || e.Published != "2026-11-25T06:00:00Z" {
		t.Errorf("entry %+v", e)
	}
	// The title is text: a reader shows <script> and & literally.
	if !strings.Contains(e.Title, `<script>alert("x")</script> & bạn`) {
		t.Errorf("title %q", e.Title)
	}
	// The content is HTML whose text is escaped: decoded once by the XML
	// parser it is still escaped HTML, never live markup.
	if e.Content.Type != "html" || e.Content.Text != portal.HTML(ct.Body) || strings.Contains(e.Content.Text, "<b>") {
		t.Errorf("content %+v", e.Content)
	}
	rels := map[string]string{}
	for _, l := range e.Links {
		rels[l.Rel] = l.Href
	}
	if rels["alternate"] != ct.Link || rels["enclosure"] != "https://lantoa.example.vn/media/L1/facebook" {
		t.Errorf("links %+v", e.Links)
	}
	if len(got.Entries[1].Links) != 0 {
		t.Errorf("an entry without a link or leaflet has links %+v", got.Entries[1].Links)
	}
	for _, entry := range got.Entries {
		if _, err := time.Parse(time.RFC3339, entry.Updated); err != nil {
			t.Errorf("updated %q: %v", entry.Updated, err)
		}
	}
}

func TestEmptyFeedIsValid(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := portal.WriteFeed(&buf, portal.Feed{ID: "tag:x,2026:p", Title: "X", Author: "X", SelfURL: "http://x/feed.atom"}); err != nil {
		t.Fatal(err)
	}
	var got parsed
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil || got.Updated == "" || len(got.Entries) != 0 {
		t.Fatalf("%v %+v\n%s", err, got, buf.String())
	}
}
