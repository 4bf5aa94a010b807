package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/media"
)

const scanCode = "abcdefgh"

// Browser user agents of people scanning: Zalo's in-app browser says
// "Zalo" and must count.
const (
	phoneUA = "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
	zaloUA  = "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Zalo android/12060100 ZaloTheme/light ZaloLanguage/vn"
	iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

// behindProxy trusts the loopback proxy, so that X-Forwarded-For names
// the client and a test can scan from many addresses.
func behindProxy(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/8", "::1"} }

// scanEnv is a service with a leaflet item whose QR code is scanCode
// (written as media.Service writes it, without rendering a leaflet).
func scanEnv(t *testing.T) *apptest.Env {
	t.Helper()
	e := apptest.New(t, behindProxy)
	ed := e.User("editor", "lien-minh")
	it := leafletItem(e, ed, "print")
	if _, err := e.DB.Collection("qr_codes").InsertOne(context.Background(),
		bson.M{"_id": scanCode, "commune_id": "lien-minh", "item_id": it.ID, "created_at": e.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	return e
}

// scan requests /q/<path> from addr with user agent ua and checks that it
// leads to the support page.
func scan(t *testing.T, e *apptest.Env, path, addr, ua string) {
	t.Helper()
	r := mediaGet(e, e.Server.URL+"/q/"+path, "", "X-Forwarded-For", addr, "User-Agent", ua).Want(http.StatusFound)
	if r.Header.Get("Location") != e.Config.SupportURL {
		t.Fatalf("scan → %q, want the support page", r.Header.Get("Location"))
	}
}

// TestScanCountsOncePerVisitorPerDay: a visitor is an address and a user
// agent; scanning again the same day counts nothing, another agent or
// address counts, the next day counts again. Every scan still redirects.
func TestScanCountsOncePerVisitorPerDay(t *testing.T) {
	t.Parallel()
	e := scanEnv(t)
	steps := []struct {
		addr, ua string
		want     int64
	}{
		{"203.0.113.7", phoneUA, 1},
		{"203.0.113.7", phoneUA, 1}, // the same person again
		{"203.0.113.7", zaloUA, 2},  // another phone behind the same address
		{"198.51.100.9", phoneUA, 3},
		{"2001:db8:1:2::10", iphone, 4},
		{"2001:db8:1:2::99", iphone, 4}, // the same /64: one subscriber's network
	}
	for i, s := range steps {
		path := scanCode
		if i == 1 {
			path = strings.ToUpper(scanCode) // a retyped code is the same code
		}
		scan(t, e, path, s.addr, s.ua)
		if got := leafletScans(t, e); got != s.want {
			t.Fatalf("step %d (%s, %.20s…): %d scans, want %d", i, s.addr, s.ua, got, s.want)
		}
	}
	e.Clock.Advance(24 * time.Hour)
	scan(t, e, scanCode, "203.0.113.7", phoneUA)
	if got := leafletScans(t, e); got != 5 {
		t.Fatalf("the next day: %d scans, want 5", got)
	}
}

// TestScanIgnoresLinkPreviews: a chat app or social network drawing the
// link's card is not a scan, and still gets the redirect.
func TestScanIgnoresLinkPreviews(t *testing.T) {
	t.Parallel()
	e := scanEnv(t)
	for i, ua := range []string{
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"WhatsApp/2.23.20.0 A",
		"TelegramBot (like TwitterBot)",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"Twitterbot/1.0",
		"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; ZaloBot/1.0; +https://zalo.me)",
		"Zalo",
		"",
	} {
		scan(t, e, scanCode, fmt.Sprintf("203.0.113.%d", i+1), ua)
	}
	if got := leafletScans(t, e); got != 0 {
		t.Fatalf("link previews counted %d scans", got)
	}
	scan(t, e, scanCode, "203.0.113.200", zaloUA)
	if got := leafletScans(t, e); got != 1 {
		t.Fatalf("a person in Zalo's browser: %d scans, want 1", got)
	}
}

// TestScanVisitsKeepNoPersonalData: what tells a repeat visitor is salted
// hashes under a random salt of the day, shared by replicas, with no
// address or user agent in clear; the day's salt and hashes are gone after
// the sweep of the next day.
func TestScanVisitsKeepNoPersonalData(t *testing.T) {
	t.Parallel()
	e := scanEnv(t)
	scan(t, e, scanCode, "203.0.113.7", phoneUA)
	// A second replica on the same database agrees that this visitor was seen.
	other := apptest.NewOn(t, e.DB, behindProxy)
	other.Clock.Set(e.Clock.Now())
	scan(t, other, scanCode, "203.0.113.7", phoneUA)
	if got := leafletScans(t, e); got != 1 {
		t.Fatalf("the same visitor on two replicas: %d scans", got)
	}
	ctx := context.Background()
	var salts, marks []bson.M
	if cur, err := e.DB.Collection(media.ScanSaltsCollection).Find(ctx, bson.M{}); err != nil || cur.All(ctx, &salts) != nil {
		t.Fatal(err)
	}
	if cur, err := e.DB.Collection(media.ScanMarksCollection).Find(ctx, bson.M{}); err != nil || cur.All(ctx, &marks) != nil {
		t.Fatal(err)
	}
	if len(salts) != 1 || salts[0]["_id"] != "2026-11-20" || len(marks) != 2 {
		t.Fatalf("salts %v, marks %v", salts, marks)
	}
	for _, m := range marks {
		raw, _ := bson.MarshalExtJSON(m, false, false)
		for _, personal := range []string{"203.0.113.7", "Android", "Mozilla", scanCode} {
			if strings.Contains(string(raw), personal) {
				t.Errorf("a scan mark holds %q: %s", personal, raw)
			}
		}
	}
	// The sweep keeps today's, and deletes everything of a past day.
	if n, err := e.App.Media.SweepScans(ctx); err != nil || n != 0 {
		t.Fatalf("sweep on the same day: %d, %v", n, err)
	}
	e.Clock.Advance(15 * time.Hour) // 2026-11-21 00:00 local
	if n, err := e.App.Media.SweepScans(ctx); err != nil || n != 2 {
		t.Fatalf("sweep the next day: %d, %v", n, err)
	}
	for _, coll := range []string{media.ScanSaltsCollection, media.ScanMarksCollection} {
		if n, _ := e.DB.Collection(coll).CountDocuments(ctx, bson.M{}); n != 0 {
			t.Errorf("%s keeps %d documents of yesterday", coll, n)
		}
	}
	// The day's new salt tells nothing of yesterday: the same visitor counts.
	scan(t, e, scanCode, "203.0.113.7", phoneUA)
	if got := leafletScans(t, e); got != 2 {
		t.Fatalf("the same visitor the next day: %d scans, want 2", got)
	}
	archiveSound(t, e) // the scan counter's salt and marks
}

// TestScanCapPerAddress: a script cycling user agents from one address
// counts at most media.MaxScansPerAddress scans of a code a day.
func TestScanCapPerAddress(t *testing.T) {
	t.Parallel()
	e := scanEnv(t)
	for i := range media.MaxScansPerAddress + 5 {
		scan(t, e, scanCode, "203.0.113.7", fmt.Sprintf("%s build/%d", phoneUA, i))
		e.Clock.Advance(api.ScanEvery) // stay within the rate limit
	}
	if got := leafletScans(t, e); got != media.MaxScansPerAddress {
		t.Fatalf("%d scans counted from one address, want %d", got, media.MaxScansPerAddress)
	}
	scan(t, e, scanCode, "198.51.100.9", phoneUA)
	if got := leafletScans(t, e); got != media.MaxScansPerAddress+1 {
		t.Fatalf("another address after the cap: %d scans", got)
	}
}

// TestPublicRoutesRateLimitPerSource: past its burst a source gets 429 in
// the error shape with Retry-After, on /q/:code and /feed.atom alike;
// other sources are not affected, and the source passes again after the
// time it was told.
func TestPublicRoutesRateLimitPerSource(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, behindProxy)
	get := func(path, addr string) *apptest.Response {
		req, _ := http.NewRequest(http.MethodGet, e.Server.URL+path, nil)
		req.Header.Set("X-Forwarded-For", addr)
		req.Header.Set("User-Agent", phoneUA)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return &apptest.Response{Response: res}
	}
	for _, rt := range []struct {
		path  string
		burst int
		every time.Duration
		ok    int
	}{{"/q/" + scanCode, api.ScanBurst, api.ScanEvery, http.StatusFound}, {"/feed.atom", api.FeedBurst, api.FeedEvery, http.StatusOK}} {
		for i := range rt.burst {
			if r := get(rt.path, "203.0.113.7"); r.StatusCode != rt.ok {
				t.Fatalf("%s request %d of the burst: %d", rt.path, i+1, r.StatusCode)
			}
		}
		r := e.Do(http.MethodGet, rt.path, "", nil) // from 127.0.0.1: its own source, still allowed
		if r.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("%s: another source was limited", rt.path)
		}
		req, _ := http.NewRequest(http.MethodGet, e.Server.URL+rt.path, nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		limited := e.Send(req).Want(http.StatusTooManyRequests)
		if limited.ErrorCode() != "rate_limited" {
			t.Fatalf("%s: 429 body %s", rt.path, limited.Body)
		}
		wait, err := strconv.Atoi(limited.Header.Get("Retry-After"))
		if err != nil || wait < 1 || time.Duration(wait)*time.Second > rt.every+time.Second {
			t.Fatalf("%s: Retry-After %q", rt.path, limited.Header.Get("Retry-After"))
		}
		if r := get(rt.path, "198.51.100.9"); r.StatusCode != rt.ok {
			t.Fatalf("%s: a fresh source got %d", rt.path, r.StatusCode)
		}
		e.Clock.Advance(time.Duration(wait) * time.Second)
		if r := get(rt.path, "203.0.113.7"); r.StatusCode != rt.ok {
			t.Fatalf("%s after Retry-After: %d", rt.path, r.StatusCode)
		}
		if r := get(rt.path, "203.0.113.7"); r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("%s: one request per interval after the burst, got %d", rt.path, r.StatusCode)
		}
	}
}
