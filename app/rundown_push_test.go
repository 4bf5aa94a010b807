package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/publishers/webhook"
	"github.com/lantoa/lantoa/rundown"
)

// loudspeakerVendor stands in for an IP loudspeaker system's adapter: it
// checks each push's signature, keeps the messages, and fails as told.
type loudspeakerVendor struct {
	mu       sync.Mutex
	got      []rundown.PushMessage
	calls    int
	failures int // answer 503 to this many calls first
	badSig   int
}

func (v *loudspeakerVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls++
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" ||
		!webhook.Verify("loa-secret", body, r.Header.Get(webhook.SignatureHeader)) {
		v.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if v.failures > 0 {
		v.failures--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var m rundown.PushMessage
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	v.got = append(v.got, m)
}

func TestLoudspeakerPush(t *testing.T) {
	t.Parallel()
	vendor := &loudspeakerVendor{failures: 1}
	srv := httptest.NewServer(vendor)
	t.Cleanup(srv.Close)
	e := apptest.New(t, func(c *config.Config) {
		c.LoudspeakerWebhookURL, c.LoudspeakerWebhookSecret, c.LoudspeakerPushAt = srv.URL+"/lich-phat", "loa-secret", "18:30"
	})
	if e.App.Pusher == nil {
		t.Fatal("LOUDSPEAKER_WEBHOOK_URL set, but no pusher was scheduled")
	}
	l := setupLoudspeakers(t, e)
	l.script(t, "Bình đẳng giới", words(260), map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-23"}, l.a.ID)
	e.Clock.Set(time.Date(2026, 11, 22, 18, 30, 0, 0, e.Config.Location))

	// The configured pusher, with short waits for the test.
	p := rundown.NewPusher(e.App.Rundowns, e.DB, func(context.Context) ([]string, error) { return []string{"lien-minh"}, nil },
		rundown.PushOptions{URL: srv.URL + "/lich-phat", Secret: "loa-secret", Backoff: 10 * time.Millisecond})
	sent, err := p.Push(context.Background())
	if err != nil || sent != 2 {
		t.Fatalf("pushed %d, %v; want the two stations", sent, err)
	}
	vendor.mu.Lock()
	got, calls, bad := slices.Clone(vendor.got), vendor.calls, vendor.badSig
	vendor.mu.Unlock()
	if calls != 3 || bad != 0 || len(got) != 2 {
		t.Fatalf("vendor saw %d calls (%d badly signed), kept %d; want 3 (one retried after a 503)", calls, bad, len(got))
	}
	byStation := map[string]rundown.PushMessage{}
	for _, m := range got {
		byStation[m.Rundown.Station.ID] = m
	}
	a := byStation[l.a.ID]
	if a.Event != rundown.PushEvent || a.ID != "lien-minh|"+l.a.ID+"|2026-11-23" || a.Rundown.Date != "2026-11-23" ||
		len(a.Rundown.Slots) != 2 || a.Rundown.TotalReadSeconds != 240 || a.Rundown.Slots[0].Items[0].Body != words(260) {
		t.Errorf("station A's push %+v", a)
	}
	if b := byStation[l.b.ID]; b.Rundown.Station.Village != "Xóm Bãi" || len(b.Rundown.Slots) != 0 {
		t.Errorf("station B's push %+v", b)
	}
	// Each station and day is pushed once, whichever replica runs the clock.
	if sent, err := p.Push(context.Background()); err != nil || sent != 0 {
		t.Errorf("second push sent %d, %v", sent, err)
	}

	// A receiver that refuses (4xx) is not retried; the failure is reported.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) }))
	t.Cleanup(refusing.Close)
	e.Clock.Advance(24 * time.Hour)
	p2 := rundown.NewPusher(e.App.Rundowns, e.DB, func(context.Context) ([]string, error) { return []string{"lien-minh"}, nil },
		rundown.PushOptions{URL: refusing.URL, Secret: "loa-secret", Backoff: time.Millisecond})
	if sent, err := p2.Push(context.Background()); err == nil || sent != 0 {
		t.Errorf("refused push: %d, %v", sent, err)
	}
}

func TestLoudspeakerSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env map[string]string
		ok  bool
	}{
		{map[string]string{}, true},
		{map[string]string{"LOUDSPEAKER_WEBHOOK_URL": "https://loa.example/api", "LOUDSPEAKER_WEBHOOK_SECRET": "s", "LOUDSPEAKER_PUSH_AT": "05:15"}, true},
		{map[string]string{"LOUDSPEAKER_WEBHOOK_URL": "https://loa.example/api"}, false},
		{map[string]string{"LOUDSPEAKER_WEBHOOK_URL": "ftp://loa", "LOUDSPEAKER_WEBHOOK_SECRET": "s"}, false},
		{map[string]string{"LOUDSPEAKER_PUSH_AT": "25:00"}, false},
		{map[string]string{"LOUDSPEAKER_PUSH_AT": "6:00"}, false},
	} {
		cfg, err := config.Load("test", nil, func(k string) string { return c.env[k] }, io.Discard)
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.env, err)
		}
		if err == nil && c.env["LOUDSPEAKER_PUSH_AT"] == "" && cfg.LoudspeakerPushAt != "18:00" {
			t.Errorf("default push time %q", cfg.LoudspeakerPushAt)
		}
	}
}
