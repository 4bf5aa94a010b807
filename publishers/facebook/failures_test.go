package facebook_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

func TestFailureMatrix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind       facebooktest.Kind
		class      publishers.Class
		code       string
		retryAfter time.Duration
	}{
		{facebooktest.Transient, publishers.Transient, "2", 0},
		{facebooktest.Throttled, publishers.Throttled, "32", 5 * time.Minute},
		{facebooktest.ThrottledApp, publishers.Throttled, "4", time.Minute},
		{facebooktest.ExpiredToken, publishers.AuthInvalid, "190/463", 0},
		{facebooktest.InvalidToken, publishers.AuthInvalid, "190/467", 0},
		{facebooktest.Blocked, publishers.Blocked, "368", 6 * time.Hour},
		{facebooktest.Permanent, publishers.Permanent, "100", 0},
		{facebooktest.Duplicate, publishers.Permanent, "506", 0},
		{facebooktest.ServerError, publishers.Transient, "http 503", 0},
	}
	for _, tt := range tests {
		t.Run(tt.class.String()+"_"+tt.code, func(t *testing.T) {
			t.Parallel()
			b := setup(t, nil)
			b.fake.FailNext(tt.kind)

			_, err := b.client.Publish(t.Context(), b.delivery(), text("", "Thông điệp"))
			class, pe := publishertest.ClassOf(t, err)
			gotClass, gotWait := publishers.Classify(err)
			if class != tt.class || gotClass != tt.class || pe.Code != tt.code || gotWait != tt.retryAfter {
				t.Errorf("got %v %q wait %v, want %v %q wait %v", class, pe.Code, gotWait, tt.class, tt.code, tt.retryAfter)
			}
			if n := len(b.fake.Calls()); n != 1 {
				t.Errorf("calls = %d, want 1", n)
			}
			if n := len(b.fake.Posts()); n != 0 {
				t.Errorf("posts = %d, want 0", n)
			}
		})
	}
}

func TestExpiredTokenCostsOneCallThenPausesChannel(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.fake.FailNext(facebooktest.ExpiredToken)

	for i := range 3 {
		_, err := b.client.Publish(t.Context(), b.delivery(), text("", "Bài số"))
		if class, _ := publishertest.ClassOf(t, err); class != publishers.AuthInvalid {
			t.Fatalf("publish %d: class %v, want auth_invalid", i, class)
		}
	}
	if _, err := b.client.Stats(t.Context(), []string{pageID + "_1"}); err == nil {
		t.Error("stats with an invalid token succeeded")
	}
	if n := len(b.fake.Calls()); n != 1 {
		t.Fatalf("API calls = %d, want exactly 1", n)
	}
	h := b.client.Health()
	if h.Healthy || !h.Paused || !strings.HasPrefix(h.LastError, "reconnect") || !h.Configured {
		t.Errorf("health = %+v, want configured, not healthy, paused, reconnect", h)
	}

	const fresh = "EAAGnewPageTokenSECRET42"
	b.fake.RenewToken(fresh)
	b.client.SetPageToken(fresh)
	if _, err := b.client.Publish(t.Context(), b.delivery(), text("", "Sau khi kết nối lại")); err != nil {
		t.Fatalf("publish after reconnect: %v", err)
	}
	if h := b.client.Health(); !h.Healthy || h.Paused || h.LastError != "" {
		t.Errorf("health after reconnect = %+v", h)
	}
}

func TestThrottleWaitsWithoutCalling(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.fake.FailNext(facebooktest.Throttled)

	_, err := b.client.Publish(t.Context(), b.delivery(), text("", "Một"))
	if class, wait := publishers.Classify(err); class != publishers.Throttled || wait != 5*time.Minute {
		t.Fatalf("first: %v %v", class, wait)
	}
	b.clock.Advance(2 * time.Minute)
	_, err = b.client.Publish(t.Context(), b.delivery(), text("", "Hai"))
	if class, wait := publishers.Classify(err); class != publishers.Throttled || wait != 3*time.Minute {
		t.Errorf("while paused: %v %v, want throttled 3m", class, wait)
	}
	if n := len(b.fake.Calls()); n != 1 {
		t.Errorf("calls while paused = %d, want 1", n)
	}
	if h := b.client.Health(); !h.Paused || h.Healthy {
		t.Errorf("health while paused = %+v", h)
	}
	b.clock.Advance(3 * time.Minute)
	if _, err := b.client.Publish(t.Context(), b.delivery(), text("", "Ba")); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

func TestThrottleWithoutEstimateBacksOffExponentially(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) { c.ThrottleBackoff = time.Minute; c.MaxThrottleBackoff = 3 * time.Minute })
	var waits []time.Duration
	for range 3 {
		b.fake.FailNext(facebooktest.ThrottledApp)
		_, err := b.client.Publish(t.Context(), b.delivery(), text("", "x"))
		_, wait := publishers.Classify(err)
		waits = append(waits, wait)
		b.clock.Advance(wait)
	}
	if waits[0] != time.Minute || waits[1] != 2*time.Minute || waits[2] != 3*time.Minute {
		t.Errorf("waits = %v, want 1m 2m 3m (capped)", waits)
	}
}

func TestBlockedPausesForHours(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.fake.FailNext(facebooktest.Blocked)
	_, _ = b.client.Publish(t.Context(), b.delivery(), text("", "x"))
	b.clock.Advance(time.Hour)

	_, err := b.client.Publish(t.Context(), b.delivery(), text("", "y"))
	if class, wait := publishers.Classify(err); class != publishers.Blocked || wait != 5*time.Hour {
		t.Errorf("got %v %v, want blocked 5h", class, wait)
	}
	if n := len(b.fake.Calls()); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestHighUsageSlowsDown(t *testing.T) {
	t.Parallel()
	b := setup(t, nil, facebooktest.WithUsage(95))

	for range 2 {
		if _, err := b.client.Publish(t.Context(), b.delivery(), text("", "x")); err != nil {
			t.Fatal(err)
		}
	}
	if h := b.client.Health(); h.Usage == nil || *h.Usage != 95 {
		t.Fatalf("usage = %v, want 95", h.Usage)
	}
	// The first call knew no usage; the second waited 15 × 500ms.
	if got := b.slept(); len(got) != 1 || got[0] != 7500*time.Millisecond {
		t.Errorf("slept %v, want [7.5s]", got)
	}
}

func TestUsageThresholdIsConfigurable(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) { c.SlowAbove = 96 }, facebooktest.WithUsage(95))
	for range 2 {
		if _, err := b.client.Publish(t.Context(), b.delivery(), text("", "x")); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.slept(); len(got) != 0 {
		t.Errorf("slept %v below the threshold", got)
	}
}

func TestGatewayTimeoutOnPublishIsUnknown(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGatewayTimeout)
	}))
	t.Cleanup(srv.Close)
	c := facebook.New(facebook.Config{GraphURL: srv.URL + "/v25.0", PageID: pageID, PageToken: pageToken})

	_, err := c.Publish(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Unknown {
		t.Errorf("publish through a 504: %v, want unknown (the post may exist)", class)
	}
	_, _, err = c.Reconcile(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Transient {
		t.Errorf("read through a 504: %v, want transient", class)
	}
}
