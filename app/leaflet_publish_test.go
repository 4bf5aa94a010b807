package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/outbox"
)

// TestLeafletQRScanCountsOnePrintScan is the end of the journey: the
// QR code read off the printed leaflet opens the support page and shows
// up as one scan in the campaign's reach, with nothing about the person.
func TestLeafletQRScanCountsOnePrintScan(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "print")
	v := leafletRender(e, ed, it.ID, leafletRequest(photo))
	scanned := readQR(t, mediaGet(e, v.Variants["print-a5"], ed).Body)

	r := mediaGet(e, scanned, "", "User-Agent", "Mozilla/5.0 (Linux; Android 8.1) Zalo", "X-Forwarded-For", "203.0.113.7").Want(302)
	if loc := r.Header.Get("Location"); loc != e.Config.SupportURL || loc != e.Config.BaseURL+"/ho-tro" {
		t.Fatalf("Location %q, want the support page %q", loc, e.Config.SupportURL)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q: a cached redirect would count nothing", r.Header.Get("Cache-Control"))
	}
	mediaGet(e, r.Header.Get("Location"), "").Want(200) // the support page itself
	if got := leafletScans(t, e); got != 1 {
		t.Fatalf("%d print scans after one scan", got)
	}
	var events []bson.M
	cur, err := e.DB.Collection("reach_events").Find(t.Context(), bson.M{"source": "scan"})
	if err != nil || cur.All(t.Context(), &events) != nil || len(events) != 1 {
		t.Fatalf("scan events %v, %v", events, err)
	}
	ev := events[0]
	allowed := []string{"_id", "commune_id", "campaign_id", "item_id", "channel", "metric", "value", "day", "source", "at", "applied"}
	for k := range ev {
		if !slices.Contains(allowed, k) {
			t.Errorf("the scan event stores %q = %v", k, ev[k])
		}
	}
	raw, _ := bson.MarshalExtJSON(ev, false, false)
	for _, personal := range []string{"203.0.113.7", "127.0.0.1", "Mozilla", "Zalo"} {
		if bytes.Contains(raw, []byte(personal)) {
			t.Errorf("the scan event holds %q: %s", personal, raw)
		}
	}
	if ev["item_id"] != it.ID || ev["campaign_id"] != mediaCampaign || ev["channel"] != "print" || ev["metric"] != "scans" ||
		ev["value"] != int64(1) || ev["day"] != "2026-11-20" || ev["commune_id"] != "lien-minh" ||
		!regexp.MustCompile(`^scan-[0-9a-f]{24}$`).MatchString(ev["_id"].(string)) {
		t.Fatalf("scan event %v", ev)
	}

	// Unknown and malformed codes still lead to help, and count nothing.
	for _, path := range []string{"/q/zzzzzzzz", "/q/x", "/q/" + strings.Repeat("a", 200), "/q/0O1lIi0O", "/q/%27%3B--"} {
		if r := mediaGet(e, e.Server.URL+path, "").Want(302); r.Header.Get("Location") != e.Config.SupportURL {
			t.Fatalf("%s → %q", path, r.Header.Get("Location"))
		}
	}
	if got := leafletScans(t, e); got != 1 {
		t.Fatalf("%d print scans after unknown codes", got)
	}
	// A code typed in capitals is the same code; every scan counts.
	mediaGet(e, e.Server.URL+"/q/"+strings.ToUpper(v.Code), "").Want(302)
	if got := leafletScans(t, e); got != 2 {
		t.Fatalf("%d print scans after a second scan", got)
	}
	// A HEAD (a chat app previewing the link) leads to the same place and is not a scan.
	req, _ := http.NewRequest(http.MethodHead, e.Server.URL+"/q/"+v.Code, nil)
	head, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	if head.StatusCode != http.StatusFound || head.Header.Get("Location") != e.Config.SupportURL {
		t.Fatalf("HEAD /q/: %d → %q", head.StatusCode, head.Header.Get("Location"))
	}
	if got := leafletScans(t, e); got != 2 {
		t.Fatalf("%d print scans after a HEAD", got)
	}
}

// leafletScans is the campaign's print scans, as reach.Service.CampaignSummary counts them.
func leafletScans(t *testing.T, e *apptest.Env) int64 {
	t.Helper()
	sum, err := e.App.Reach.CampaignSummary(apptest.Scoped("lien-minh"), mediaCampaign,
		func(context.Context) (map[string]int, error) { return map[string]int{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	return sum.Totals["print"]["scans"]
}

// leafletPublish submits, approves and dispatches item it, and returns its
// deliveries once sent.
func leafletPublish(t *testing.T, e *apptest.Env, ed string, it campaigns.Item) []deliveries.Delivery {
	t.Helper()
	mgr := e.User(accounts.RoleManager, "lien-minh")
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	e.Clock.Advance(2 * time.Minute)
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, mgr, nil).Want(200).JSON(&list)
	for _, d := range list {
		if d.State != "sent" {
			t.Fatalf("%s delivery %s: %s (%s)", d.Channel, d.ID, d.State, d.LastError)
		}
	}
	return list
}

// outboxMessage reads a delivery's outbox message.
func outboxMessage(t *testing.T, e *apptest.Env, d deliveries.Delivery) (outbox.Message, string) {
	t.Helper()
	dir := filepath.Join(e.Config.DataDir, "outbox", d.Channel, d.DueAt.In(e.Config.Location).Format("2006-01-02"))
	raw, err := os.ReadFile(filepath.Join(dir, d.ID+".json"))
	if err != nil {
		t.Fatalf("outbox of %s: %v", d.Channel, err)
	}
	var m outbox.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m, dir
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestLeafletGoesOutOnEveryChannel approves a leaflet item and dispatches
// it: the Facebook and portal posts carry the facebook variant, Zalo the
// zalo variant (by a public URL), and print writes the PDFs and print
// variants to the outbox.
func TestLeafletGoesOutOnEveryChannel(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "facebook", "zalo", "portal", "print")
	v := leafletRender(e, ed, it.ID, leafletRequest(photo))
	served := map[string][]byte{}
	for name, url := range v.Variants {
		served[name] = mediaGet(e, url, ed).Want(200).Body
	}
	list := leafletPublish(t, e, ed, it)
	if len(list) != 4 {
		t.Fatalf("%d deliveries", len(list))
	}
	for _, d := range list {
		m, dir := outboxMessage(t, e, d)
		switch d.Channel {
		case "facebook", "portal", "zalo":
			want := map[string]string{"facebook": "facebook", "portal": "facebook", "zalo": "zalo"}[d.Channel]
			if len(m.Images) != 1 {
				t.Fatalf("%s: images %v", d.Channel, m.Images)
			}
			if img := readFile(t, filepath.Join(dir, m.Images[0])); !bytes.Equal(img, served[want]) {
				t.Errorf("%s: the image is not the %s variant (%v)", d.Channel, want, jpegSize(t, img))
			}
		case "print":
			slices.Sort(m.Files)
			wantFiles := []string{d.ID + "-leaflet-a4.pdf", d.ID + "-leaflet-a5.pdf", d.ID + "-print-a4.jpg", d.ID + "-print-a5.jpg"}
			if !slices.Equal(m.Files, wantFiles) {
				t.Fatalf("print files %v, want %v", m.Files, wantFiles)
			}
			for _, f := range m.Files {
				data := readFile(t, filepath.Join(dir, f))
				switch {
				case strings.HasSuffix(f, ".pdf") && !bytes.HasPrefix(data, []byte("%PDF-")):
					t.Errorf("%s is not a PDF", f)
				case strings.HasSuffix(f, "print-a5.jpg") && !bytes.Equal(data, served["print-a5"]),
					strings.HasSuffix(f, "print-a4.jpg") && !bytes.Equal(data, served["print-a4"]):
					t.Errorf("%s is not the print variant", f)
				}
			}
		}
	}
	// Zalo takes its cover by URL: the published variant's, open to anyone.
	c, err := e.App.Media.Content(apptest.Scoped("lien-minh"), mustItem(t, e, it.ID), "zalo")
	if err != nil || len(c.Images) != 1 || c.Images[0].URL != v.Variants["zalo"] {
		t.Fatalf("zalo content %+v, %v", c.Images, err)
	}
	if r := mediaGet(e, c.Images[0].URL, "").Want(200); !bytes.Equal(r.Body, served["zalo"]) {
		t.Fatal("the zalo cover URL serves other bytes")
	}
	// The portal feed's enclosure is the facebook variant's URL.
	if feed := e.Do("GET", "/feed.atom", "", nil).Want(200); !strings.Contains(string(feed.Body), v.Variants["facebook"]) {
		t.Errorf("the Atom feed has no enclosure %s:\n%s", v.Variants["facebook"], feed.Body)
	}
	archiveSound(t, e) // media, GridFS, leaflets, renders, QR codes, deliveries
}

func mustItem(t *testing.T, e *apptest.Env, id string) campaigns.Item {
	t.Helper()
	it, err := e.App.Campaigns.GetItem(apptest.Scoped("lien-minh"), id)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// TestLeafletPostsTheFacebookVariantToThePage publishes through the fake
// Graph API: one photo post whose image is the facebook variant.
func TestLeafletPostsTheFacebookVariantToThePage(t *testing.T) {
	t.Parallel()
	const page, token = "104729384756", "EAAGfakePAGEtokenSECRET0123456789"
	fb := facebooktest.New(t, page, token)
	e := apptest.New(t, func(c *config.Config) {
		c.FacebookGraphURL, c.FacebookPageID, c.FacebookPageToken = fb.URL, page, token
	})
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "facebook")
	v := leafletRender(e, ed, it.ID, leafletRequest(photo))
	leafletPublish(t, e, ed, it)
	var photos []facebooktest.Call
	for _, c := range fb.Calls() {
		if strings.HasSuffix(c.Path, "/photos") {
			photos = append(photos, c)
		}
	}
	if len(photos) != 1 {
		t.Fatalf("%d photo uploads: %+v", len(photos), fb.Calls())
	}
	src := photos[0].Files["source"]
	if src.Sniffed != "image/jpeg" || src.Size != v.Sizes["facebook"].Bytes {
		t.Fatalf("uploaded %+v, want the facebook variant of %d bytes", src, v.Sizes["facebook"].Bytes)
	}
}

// TestPostPhotosGoOutWithoutMetadata: a post's photos are attached upright
// and stripped of the upload's EXIF, GPS position included.
func TestPostPhotosGoOutWithoutMetadata(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": mediaCampaign, "kind": "post", "title": "Ảnh hội nghị",
		"body": "Hội nghị tuyên truyền tại nhà văn hoá thôn.", "channels": []string{"facebook"}, "media_ids": []string{photo},
		"schedule": map[string]any{"at": e.Clock.Now().Add(time.Minute).Format(time.RFC3339)}}).Want(201).JSON(&it)
	list := leafletPublish(t, e, ed, it)
	m, dir := outboxMessage(t, e, list[0])
	if len(m.Images) != 1 {
		t.Fatalf("images %v", m.Images)
	}
	img := readFile(t, filepath.Join(dir, m.Images[0]))
	if got := jpegSize(t, img); got.X != 900 || got.Y != 1200 {
		t.Fatalf("post photo %v, want upright 900×1200", got)
	}
	if bytes.Contains(img, []byte("Exif")) || bytes.Contains(img, []byte("LanToaCam")) {
		t.Fatal("the post photo carries the upload's EXIF")
	}
	var u bson.M
	if err := e.DB.Collection("media").FindOne(t.Context(), bson.M{"_id": photo}).Decode(&u); err != nil || u["post_file_id"] == nil {
		t.Fatalf("the post image is not kept for next time: %v %v", u, err)
	}
}
