package app_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/portal"
	"github.com/lantoa/lantoa/publishers/webhook"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
	"github.com/lantoa/lantoa/reach"
)

const (
	fbPage       = "104729384756"
	fbToken      = "EAAGfakePAGEtokenSECRET0123456789"
	fbAppSecret  = "fbAPPsecretVALUE42"
	portalSecret = "portalHOOKsecret-9c1e"
	campaignID   = "lien-minh-gbv-month-2026"
)

// withFacebook points the service at a fake Page.
func withFacebook(fake *facebooktest.Server) apptest.Option {
	return func(c *config.Config) {
		c.FacebookGraphURL, c.FacebookPageID, c.FacebookPageToken, c.FacebookAppSecret = fake.URL, fbPage, fbToken, fbAppSecret
	}
}

// publish creates, submits and approves a post on channels due a minute
// after the clock, moves the clock past it and dispatches; it returns the
// item's deliveries.
func publish(t *testing.T, e *apptest.Env, title string, channels ...string) (campaigns.Item, []deliveries.Delivery) {
	t.Helper()
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{
		"campaign_id": campaignID, "kind": "post", "title": title,
		"body": "Gọi 111 khi trẻ em bị bạo lực.\n\nĐừng im lặng <b>&</b> hãy lên tiếng.", "link": "https://lienminh.example.vn/tin?a=1&b=2",
		"channels": channels, "schedule": map[string]any{"at": e.Clock.Now().Add(time.Minute).Format(time.RFC3339)},
	}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	e.Clock.Advance(2 * time.Minute)
	sendDue(t, e)
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, mgr, nil).Want(200).JSON(&list)
	return it, list
}

func sendDue(t *testing.T, e *apptest.Env) {
	t.Helper()
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
}

func poll(t *testing.T, e *apptest.Env) reach.PollResult {
	t.Helper()
	var res reach.PollResult
	e.Do("POST", "/api/v1/reach/poll", e.User(accounts.RoleManager, "lien-minh"), nil).Want(200).JSON(&res)
	return res
}

func totals(t *testing.T, e *apptest.Env) map[string]map[string]int64 {
	t.Helper()
	var sum reach.Summary
	e.Do("GET", "/api/v1/reach/summary?campaign="+campaignID, e.User(accounts.RoleManager, "lien-minh"), nil).Want(200).JSON(&sum)
	return sum.Totals
}

func TestFacebookInsightsLandInTheReachSummary(t *testing.T) {
	t.Parallel()
	fake := facebooktest.New(t, fbPage, fbToken, facebooktest.WithAppSecret(fbAppSecret))
	e := apptest.New(t, withFacebook(fake))
	_, list := publish(t, e, "Hãy lên tiếng khi thấy bạo lực", "facebook")
	if len(list) != 1 || list[0].State != deliveries.StateSent || !strings.HasPrefix(list[0].ExternalID, fbPage+"_") {
		t.Fatalf("deliveries %+v", list)
	}
	if posts := fake.Posts(); len(posts) != 1 || !strings.Contains(posts[0].Message, "Hãy lên tiếng") {
		t.Fatalf("fake page posts %+v", posts)
	}
	postID := list[0].ExternalID

	// Nothing measured yet: the post is read, nothing is recorded.
	if res := poll(t, e); res.Posts != 1 || res.Snapshots != 0 || len(res.Errors) != 0 {
		t.Fatalf("first poll %+v", res)
	}
	fake.SetInsights(postID, map[string]any{"post_total_media_view_unique": 120, "post_media_view": 300,
		"post_reactions_by_type_total": map[string]int{"like": 5, "love": 2}})
	if res := poll(t, e); res.Posts != 1 || res.Snapshots != 1 {
		t.Fatalf("second poll %+v", res)
	}
	if m := string(e.Do("GET", "/metrics", "", nil).Want(200).Body); !strings.Contains(m, `lantoa_reach_polls_total{channel="facebook",result="ok"} 2`) {
		t.Errorf("/metrics does not count the two facebook polls")
	}
	got := totals(t, e)["facebook"]
	if got["reach_sum"] != 120 || got["views"] != 300 || got["engagements"] != 7 {
		t.Fatalf("facebook totals %v", got)
	}
	// Clicks were not given: unknown, not 0.
	if _, ok := got["clicks"]; ok {
		t.Errorf("clicks = %d; the platform gave none, so there is no figure", got["clicks"])
	}
	var before struct {
		Values map[string]int64 `bson:"values"`
	}
	if err := e.DB.Collection("reach_posts").FindOne(t.Context(), bson.M{"_id": "facebook|" + postID}).Decode(&before); err != nil {
		t.Fatal(err)
	}
	if _, ok := before.Values["clicks"]; ok {
		t.Errorf("unknown clicks stored as a value: %v", before.Values)
	}
	// Lifetime values grow: the total is the latest, never the sum.
	fake.SetInsights(postID, map[string]any{"post_total_media_view_unique": 150, "post_media_view": 410, "post_clicks": 0,
		"post_reactions_by_type_total": map[string]int{"like": 6, "love": 2}})
	poll(t, e)
	poll(t, e) // the same figures again change nothing
	got = totals(t, e)["facebook"]
	if got["reach_sum"] != 150 || got["views"] != 410 || got["engagements"] != 8 {
		t.Fatalf("after growth: %v, want the latest values", got)
	}
	var doc struct {
		Platform   map[string]string `bson:"platform"`
		APIVersion string            `bson:"api_version"`
		Values     map[string]int64  `bson:"values"`
	}
	if err := e.DB.Collection("reach_posts").FindOne(t.Context(), bson.M{"_id": "facebook|" + postID}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Platform["reach"] != "post_total_media_view_unique" || doc.Platform["views"] != "post_media_view" || doc.APIVersion != "v25.0" {
		t.Errorf("stored snapshot %+v", doc)
	}
	// Clicks are now a known 0, stored as such (before, they were absent).
	if v, ok := doc.Values["clicks"]; !ok || v != 0 || doc.Platform["clicks"] != "post_clicks" {
		t.Errorf("clicks stored as %d %v (%q), want a known 0", v, ok, doc.Platform["clicks"])
	}
}

func TestRetiredInsightsMetricFallsBack(t *testing.T) {
	t.Parallel()
	// Meta retired the preferred reach name on this fake Page: the poller
	// uses the next name of the chain and says which one it used.
	fake := facebooktest.New(t, fbPage, fbToken, facebooktest.WithDeprecatedMetrics("post_total_media_view_unique", "post_impressions"))
	e := apptest.New(t, func(c *config.Config) {
		c.FacebookGraphURL, c.FacebookPageID, c.FacebookPageToken = fake.URL, fbPage, fbToken
	})
	_, list := publish(t, e, "Bài có chỉ số cũ", "facebook")
	postID := list[0].ExternalID
	fake.SetInsights(postID, map[string]any{"post_impressions_unique": 90, "post_media_view": 200})
	if res := poll(t, e); res.Snapshots != 1 || len(res.Errors) != 0 {
		t.Fatalf("poll %+v", res)
	}
	if got := totals(t, e)["facebook"]; got["reach_sum"] != 90 || got["views"] != 200 {
		t.Fatalf("totals %v", got)
	}
	var doc struct {
		Platform map[string]string `bson:"platform"`
	}
	if err := e.DB.Collection("reach_posts").FindOne(t.Context(), bson.M{"_id": "facebook|" + postID}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Platform["reach"] != "post_impressions_unique" {
		t.Errorf("reach measured as %q, want the fallback post_impressions_unique", doc.Platform["reach"])
	}
}

func TestZaloArticleIsCreatedVerifiedAndCounted(t *testing.T) {
	t.Parallel()
	fake := zalotest.New(t, zalotest.WithVerifyPolls(1))
	e := apptest.New(t, func(c *config.Config) {
		c.ZaloAPIURL, c.ZaloOAuthURL, c.ZaloAppID, c.ZaloAppSecret = fake.URL, fake.OAuthURL, fake.AppID, fake.AppSecret
		c.ZaloRefreshToken, c.ZaloCoverURL = fake.InitialRefreshToken(), "https://lienminh.example.vn/anh/bia.jpg"
	})
	_, list := publish(t, e, "Bài viết Zalo về bình đẳng giới", "zalo")
	arts := fake.Articles()
	if len(list) != 1 || list[0].State != deliveries.StateSent || len(arts) != 1 || list[0].ExternalID != arts[0].ID {
		t.Fatalf("deliveries %+v, articles %+v", list, arts)
	}
	// The rotated refresh token is in the store, for every replica.
	n, err := e.DB.Collection("zalo_tokens").CountDocuments(t.Context(), bson.M{"_id": "lien-minh"})
	if err != nil || n != 1 {
		t.Fatalf("zalo token chain: %d (%v)", n, err)
	}
	fake.SetStats(arts[0].ID, 40, 3)
	if res := poll(t, e); res.Posts != 1 || res.Snapshots != 1 {
		t.Fatalf("poll %+v", res)
	}
	fake.SetStats(arts[0].ID, 55, 4)
	poll(t, e)
	if got := totals(t, e)["zalo"]; got["views"] != 55 || got["shares"] != 4 {
		t.Fatalf("zalo totals %v", got)
	}
	archiveSound(t, e) // the Zalo token chain, reach posts
}

// hook is a portal receiver that checks signatures.
type hook struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
	bad      int
}

func newHook(t *testing.T) (*hook, *httptest.Server) {
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if !webhook.Verify(portalSecret, b, r.Header.Get(webhook.SignatureHeader)) {
			h.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.requests, h.bodies = append(h.requests, r), append(h.bodies, b)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func TestPortalWebhookAndAtomFeed(t *testing.T) {
	t.Parallel()
	h, srv := newHook(t)
	e := apptest.New(t, func(c *config.Config) { c.PortalWebhookURL, c.PortalWebhookSecret = srv.URL+"/lan-toa", portalSecret })
	title := `Ngày 25/11: <script>alert(1)</script> & "cam kết"`
	it, list := publish(t, e, title, "portal")
	if len(list) != 1 || list[0].State != deliveries.StateSent || list[0].ExternalID != portal.EntryID(it.ID) {
		t.Fatalf("deliveries %+v", list)
	}
	if len(h.bodies) != 1 || h.bad != 0 || h.requests[0].Header.Get("Idempotency-Key") != list[0].ID {
		t.Fatalf("webhook: %d signed requests, %d bad", len(h.bodies), h.bad)
	}
	var p portal.Payload
	if err := json.Unmarshal(h.bodies[0], &p); err != nil || p.ID != portal.EntryID(it.ID) || p.Title != title || p.ItemID != it.ID {
		t.Fatalf("payload %+v %v", p, err)
	}
	// A second, later post: the feed lists both, newest first.
	it2, _ := publish(t, e, "Bài thứ hai", "portal")
	// And one that never went to the portal stays out.
	publish(t, e, "Chỉ lên Zalo", "zalo")

	r := e.Do("GET", "/feed.atom", "", nil).Want(200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Fatalf("content type %q", ct)
	}
	if strings.Contains(string(r.Body), "<script>") {
		t.Fatal("live markup in the feed")
	}
	var feed struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Content struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"content"`
			Links []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(r.Body, &feed); err != nil {
		t.Fatalf("%v\n%s", err, r.Body)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].ID != portal.EntryID(it2.ID) || feed.Entries[1].ID != portal.EntryID(it.ID) {
		t.Fatalf("entries %+v", feed.Entries)
	}
	first := feed.Entries[1]
	if first.Title != title || first.Content.Type != "html" || !strings.Contains(first.Content.Text, "&lt;b&gt;&amp;&lt;/b&gt;") {
		t.Errorf("entry %+v", first)
	}
	if len(first.Links) != 1 || first.Links[0].Rel != "alternate" || first.Links[0].Href != "https://lienminh.example.vn/tin?a=1&b=2" {
		t.Errorf("links %+v", first.Links)
	}
	if feed.ID == "" || feed.Updated == "" || !strings.Contains(feed.Title, "Liên Minh") {
		t.Errorf("feed head %+v", feed)
	}
	// Conditional GET, an unknown commune, and an item taken back to draft.
	e.Send(withHeader(e, "/feed.atom", "If-None-Match", r.Header.Get("ETag"))).Want(304)
	e.Do("GET", "/feed.atom?commune=khong-co", "", nil).Want(404)
}

func withHeader(e *apptest.Env, path, k, v string) *http.Request {
	req, _ := http.NewRequest("GET", e.Server.URL+path, nil)
	req.Header.Set(k, v)
	return req
}

func TestChannelStatusNeverShowsACredential(t *testing.T) {
	t.Parallel()
	fake := facebooktest.New(t, fbPage, fbToken, facebooktest.WithAppSecret(fbAppSecret))
	zfake := zalotest.New(t)
	_, srv := newHook(t)
	e := apptest.New(t, withFacebook(fake), func(c *config.Config) {
		c.ZaloAPIURL, c.ZaloOAuthURL, c.ZaloAppID, c.ZaloAppSecret = zfake.URL, zfake.OAuthURL, zfake.AppID, zfake.AppSecret
		c.ZaloRefreshToken = zfake.InitialRefreshToken()
		c.PortalWebhookURL, c.PortalWebhookSecret = srv.URL, portalSecret
	})
	secrets := []string{fbToken, fbAppSecret, portalSecret, zfake.AppSecret, zfake.InitialRefreshToken()}
	noSecret := func(where string, body []byte) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Errorf("%s shows a credential: %s", where, body)
			}
		}
	}
	status := func() map[string]dispatch.ChannelStatus {
		t.Helper()
		r := e.Do("GET", "/api/v1/channels", e.User(accounts.RoleManager, "lien-minh"), nil).Want(200)
		noSecret("GET /api/v1/channels", r.Body)
		var list []dispatch.ChannelStatus
		r.JSON(&list)
		out := map[string]dispatch.ChannelStatus{}
		for _, c := range list {
			out[c.Channel] = c
		}
		if len(list) != 6 {
			t.Fatalf("%d channels: %s", len(list), r.Body)
		}
		return out
	}
	s := status()
	for ch, want := range map[string]string{"facebook": "ok", "zalo": "ok", "portal": "ok", "loudspeaker": "pull", "print": "outbox", "event": "outbox"} {
		if s[ch].Status != want || s[ch].Paused {
			t.Errorf("%s: %+v, want status %s", ch, s[ch], want)
		}
	}
	if !s["facebook"].Configured || s["print"].Configured {
		t.Errorf("configured: facebook %v, print %v", s["facebook"].Configured, s["print"].Configured)
	}

	// The Page token expires: one call, then the channel waits as "reconnect".
	fake.FailNext(facebooktest.ExpiredToken)
	_, list := publish(t, e, "Bài gặp token hết hạn", "facebook")
	publish(t, e, "Bài thứ hai chờ kết nối lại", "facebook")
	if len(fake.Posts()) != 0 || len(fake.Calls()) != 1 {
		t.Fatalf("calls after an expired token: %d", len(fake.Calls()))
	}
	s = status()
	if fb := s["facebook"]; fb.Status != "reconnect" || !fb.Paused || fb.Healthy || !strings.Contains(fb.LastError, "reconnect") {
		t.Fatalf("facebook after 190/463: %+v", fb)
	}
	if s["zalo"].Status != "ok" {
		t.Errorf("zalo paused with facebook: %+v", s["zalo"])
	}
	// Only an admin resumes; after the Page is reconnected everything goes out once.
	e.Do("POST", "/api/v1/channels/facebook/resume", e.User(accounts.RoleManager, "lien-minh"), nil).Want(403)
	e.Do("POST", "/api/v1/channels/telegram/resume", e.Admin(), nil).Want(404)
	fake.RenewToken(fbToken)
	var st dispatch.ChannelStatus
	r := e.Do("POST", "/api/v1/channels/facebook/resume", e.Admin(), nil).Want(200)
	noSecret("resume", r.Body)
	r.JSON(&st)
	if st.Status != "ok" || st.Paused {
		t.Fatalf("after resume: %+v", st)
	}
	sendDue(t, e)
	if n := len(fake.Posts()); n != 2 {
		t.Fatalf("%d posts after the resume, want 2", n)
	}
	var after []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+list[0].ItemID, e.Admin(), nil).Want(200).JSON(&after)
	if after[0].State != deliveries.StateSent {
		t.Fatalf("delivery after resume: %+v", after[0])
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit", e.Admin(), nil).Want(200).JSON(&audit)
	if audit[0].Action != "channel.resume" || audit[0].Detail != "facebook" {
		t.Errorf("audit %+v", audit[0])
	}
}
