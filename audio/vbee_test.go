package audio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/vbeetest"
)

// receiver stands for the service's callback route: a Gin handler would
// do the same with c.Request.URL and the body.
type receiver struct {
	*httptest.Server
	v       *audio.Vbee
	mu      sync.Mutex
	results []result
}

type result struct {
	id    string
	audio []byte
	err   error
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(req.Body, audio.MaxCallbackBytes+1))
		id, data, err := r.v.HandleCallback(req.Context(), req.URL, body)
		r.mu.Lock()
		r.results = append(r.results, result{id, data, err})
		r.mu.Unlock()
		switch {
		case errors.Is(err, audio.ErrReplayed):
			w.WriteHeader(http.StatusConflict)
		case errors.Is(err, audio.ErrUnverified):
			w.WriteHeader(http.StatusForbidden)
		case err != nil:
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) all() []result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]result(nil), r.results...)
}

var secret = []byte("0123456789abcdef-callback-secret")

func newVbee(srv *vbeetest.Server, cb string, now func() time.Time) *audio.Vbee {
	return audio.NewVbee(audio.VbeeConfig{AppID: srv.AppID, Token: srv.Token, URL: srv.TTSURL(),
		CallbackURL: cb + "/api/v1/tts/vbee/callback", CallbackSecret: secret, Poll: fastPoll, Now: now,
		Guard: audio.NewMemoryGuard(now, 72*time.Hour)})
}

func waitCallbacks(t *testing.T, srv *vbeetest.Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.WaitCallbacks(ctx, n); err != nil {
		t.Fatal(err)
	}
}

// TestVbeeCallbackAcceptedOnceReplayRefused: Vbee calls back the signed
// URL; the callback is verified with Vbee and its audio accepted; the same
// callback replayed is refused.
func TestVbeeCallbackAcceptedOnceReplayRefused(t *testing.T) {
	t.Parallel()
	srv := vbeetest.New(t, "app-1", "jwt-1")
	rcv := newReceiver(t)
	rcv.v = newVbee(srv, rcv.URL, time.Now)
	text := "Tháng hành động vì bình đẳng giới, từ ngày mười lăm tháng mười một."
	id, err := rcv.v.Submit(context.Background(), text, audio.Options{Speed: 1.2})
	if err != nil {
		t.Fatal(err)
	}
	waitCallbacks(t, srv, 1)
	cb := srv.Callbacks()[0]
	if cb.Status != http.StatusOK || !strings.Contains(cb.URL, audio.CallbackParam+"=") {
		t.Fatalf("callback to %s answered %d; want a signed URL answered 200", cb.URL, cb.Status)
	}
	got := rcv.all()
	if len(got) != 1 || got[0].id != id || got[0].err != nil {
		t.Fatalf("results %+v, want one for %s", got, id)
	}
	if f, ok := audio.Sniff(got[0].audio); !ok || f != audio.FormatMP3 {
		t.Errorf("callback gave %d bytes of %q, want MP3", len(got[0].audio), f)
	}
	if srv.Text(id) != text {
		t.Errorf("Vbee received %q", srv.Text(id))
	}
	status, err := srv.Replay(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusConflict {
		t.Errorf("replayed callback answered %d, want 409", status)
	}
	if got := rcv.all(); len(got) != 2 || !errors.Is(got[1].err, audio.ErrReplayed) || got[1].audio != nil {
		t.Errorf("replay result %+v, want ErrReplayed and no audio", got[len(got)-1])
	}
}

// TestVbeeCallbackForgeries: nothing in a callback is trusted but the
// request id, and only under our signature.
func TestVbeeCallbackForgeries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := vbeetest.New(t, "app-2", "jwt-2")
	rcv := newReceiver(t)
	now := time.Now()
	clock := func() time.Time { return now }
	rcv.v = newVbee(srv, rcv.URL, clock)
	id, err := rcv.v.Submit(ctx, "Nói không với bạo lực gia đình.", audio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitCallbacks(t, srv, 1)
	signed, _ := url.Parse(srv.Callbacks()[0].URL)
	var attackerHits atomic.Int32
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { attackerHits.Add(1) }))
	defer attacker.Close()

	unsigned, _ := url.Parse(rcv.URL + "/api/v1/tts/vbee/callback")
	otherSecret := audio.NewVbee(audio.VbeeConfig{AppID: "app-2", Token: "jwt-2", URL: srv.TTSURL(),
		CallbackURL: rcv.URL + "/cb", CallbackSecret: []byte("another-secret-of-16+bytes"), Now: clock})
	body := func(id, link string) []byte {
		return []byte(`{"app_id":"app-2","request_id":"` + id + `","status":"SUCCESS","audio_link":"` + link + `"}`)
	}
	for name, c := range map[string]struct {
		v    *audio.Vbee
		u    *url.URL
		body []byte
	}{
		"no signature":    {rcv.v, unsigned, body(id, "")},
		"tampered":        {rcv.v, withSig(signed, tamper(signed.Query().Get(audio.CallbackParam))), body(id, "")},
		"other secret":    {otherSecret, signed, body(id, "")},
		"unknown request": {rcv.v, signed, body("00000000-0000-0000-0000-000000000000", "")},
		"no request id":   {rcv.v, signed, []byte(`{"status":"SUCCESS"}`)},
		"not json":        {rcv.v, signed, []byte("<xml/>")},
		"expired (73 h)":  {newVbee(srv, rcv.URL, func() time.Time { return now.Add(73 * time.Hour) }), signed, body(id, "")},
		"id with a slash": {rcv.v, signed, body("../../etc", "")},
		"oversized body":  {rcv.v, signed, make([]byte, audio.MaxCallbackBytes+1)},
	} {
		if _, _, err := c.v.HandleCallback(ctx, c.u, c.body); !errors.Is(err, audio.ErrUnverified) {
			t.Errorf("%s: %v, want ErrUnverified", name, err)
		}
	}
	// A signed callback naming a real request but another audio link: the
	// link comes from Vbee's own record, the attacker's is never fetched.
	fresh := newVbee(srv, rcv.URL, clock)
	gotID, data, err := fresh.HandleCallback(ctx, signed, body(id, attacker.URL+"/evil.mp3"))
	if err != nil || gotID != id {
		t.Fatalf("signed callback with a foreign link: %s, %v", gotID, err)
	}
	if f, _ := audio.Sniff(data); f != audio.FormatMP3 || attackerHits.Load() != 0 {
		t.Errorf("audio %q, attacker fetched %d times; want Vbee's MP3 and no fetch", f, attackerHits.Load())
	}
}

// TestVbeeUnfinishedAndFailedRequests: a callback for a request Vbee has
// not finished is refused; one for a failed request reports the failure
// with its id.
func TestVbeeUnfinishedAndFailedRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := vbeetest.New(t, "app-3", "jwt-3")
	rcv := newReceiver(t)
	rcv.v = newVbee(srv, rcv.URL, time.Now)

	srv.FailNext()
	failed, err := rcv.v.Submit(ctx, "Một bản tin sẽ thất bại.", audio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitCallbacks(t, srv, 1)
	if r := rcv.all()[0]; r.id != failed || !errors.Is(r.err, audio.ErrPermanent) {
		t.Errorf("failed request: %+v, want its id and ErrPermanent", r)
	}

	srv.SetPendingPolls(100)
	pending, err := rcv.v.Submit(ctx, "Bản tin còn đang xử lý.", audio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	signed, _ := url.Parse(srv.Callbacks()[0].URL)
	_, _, err = rcv.v.HandleCallback(ctx, signed, []byte(`{"request_id":"`+pending+`","status":"SUCCESS"}`))
	if !errors.Is(err, audio.ErrUnverified) {
		t.Errorf("callback before Vbee finished: %v, want ErrUnverified", err)
	}
}

// TestVbeeSynthesizePolls: without waiting for the callback, Synthesize
// polls Get Request until the request succeeds.
func TestVbeeSynthesizePolls(t *testing.T) {
	t.Parallel()
	srv := vbeetest.New(t, "app-4", "jwt-4")
	srv.SetPendingPolls(3)
	rcv := newReceiver(t)
	rcv.v = newVbee(srv, rcv.URL, time.Now)
	mp3, err := rcv.v.Synthesize(context.Background(), "Xin chào bà con thôn Đông.", audio.Options{Voice: "sg_female_tuongvy_call_44k-fhg"})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := audio.Sniff(mp3); !ok || f != audio.FormatMP3 {
		t.Errorf("got %q, want MP3", f)
	}
}

// tamper changes the last character of a signature (inside the MAC).
func tamper(sig string) string {
	last := "A"
	if strings.HasSuffix(sig, "A") {
		last = "B"
	}
	return sig[:len(sig)-1] + last
}

func withSig(u *url.URL, sig string) *url.URL {
	c := *u
	q := c.Query()
	q.Set(audio.CallbackParam, sig)
	c.RawQuery = q.Encode()
	return &c
}

func TestMemoryGuard(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	g := audio.NewMemoryGuard(func() time.Time { return now }, time.Hour)
	ctx := context.Background()
	if ok, _ := g.Claim(ctx, "a"); !ok {
		t.Error("first claim refused")
	}
	if ok, _ := g.Claim(ctx, "a"); ok {
		t.Error("second claim accepted")
	}
	if ok, _ := g.Claim(ctx, "b"); !ok {
		t.Error("another key refused")
	}
	now = now.Add(2 * time.Hour)
	if ok, _ := g.Claim(ctx, "a"); !ok {
		t.Error("claim after the TTL refused")
	}
}
