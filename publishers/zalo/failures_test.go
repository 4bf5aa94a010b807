package zalo_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

func TestFailureMatrix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind       zalotest.Kind
		class      publishers.Class
		code       string
		retryAfter time.Duration
		articles   int
	}{
		{zalotest.RateLimit, publishers.Throttled, "-32", 15 * time.Minute, 0},
		{zalotest.InvalidParam, publishers.Permanent, "-201", 0, 0},
		{zalotest.UploadFailed, publishers.Permanent, "-200", 0, 0},
		{zalotest.ServerError, publishers.Transient, "http 500", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.class.String()+"_"+tt.code, func(t *testing.T) {
			t.Parallel()
			b := setup(t, nil)
			b.fake.FailNext(tt.kind)

			_, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Tin", "x"))
			class, pe := publishertest.ClassOf(t, err)
			_, wait := publishers.Classify(err)
			if class != tt.class || pe.Code != tt.code || wait != tt.retryAfter {
				t.Errorf("got %v %q wait %v, want %v %q wait %v", class, pe.Code, wait, tt.class, tt.code, tt.retryAfter)
			}
			if n := len(b.fake.Articles()); n != tt.articles {
				t.Errorf("articles = %d, want %d", n, tt.articles)
			}
		})
	}
}

func TestThrottleWaitsWithoutCalling(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.fake.FailNext(zalotest.RateLimit)
	_, _ = b.client.Publish(t.Context(), b.delivery(), post(t, "Một", "x"))
	calls := len(b.fake.Calls())
	b.clock.Advance(5 * time.Minute)

	_, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Hai", "x"))
	if class, wait := publishers.Classify(err); class != publishers.Throttled || wait != 10*time.Minute {
		t.Errorf("while paused: %v %v, want throttled 10m", class, wait)
	}
	if n := len(b.fake.Calls()); n != calls {
		t.Errorf("calls while paused: %d more", n-calls)
	}
}

func TestExpiredAccessTokenRefreshesOnceAndRetries(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	if _, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Một", "x")); err != nil {
		t.Fatal(err)
	}
	b.fake.FailNext(zalotest.ExpiredToken)

	if _, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Hai", "y")); err != nil {
		t.Fatalf("publish with an expired token: %v", err)
	}
	if n := b.fake.RefreshCalls(); n != 2 {
		t.Errorf("refresh calls = %d, want 2 (start, after -216)", n)
	}
	creates := b.callsTo("/v2.0/article/create")
	if len(creates) != 3 || creates[1].AccessToken != creates[0].AccessToken || creates[2].AccessToken == creates[1].AccessToken {
		t.Errorf("creates: want ok, -216 with the old token, retry with the new one; got %d", len(creates))
	}
	if n := len(b.fake.Articles()); n != 2 {
		t.Errorf("articles = %d, want 2", n)
	}
	stored, _ := b.cfg.Tokens.Load(t.Context())
	if stored.RefreshToken != b.fake.InitialRefreshToken() || stored.Version != 3 {
		t.Errorf("stored tokens: version %d, refresh current %v", stored.Version, stored.RefreshToken == b.fake.InitialRefreshToken())
	}
}

func TestRefusedRefreshTokenPausesForReconnect(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) { c.InitialRefreshToken = "spent-refresh-token" })

	for i := range 3 {
		_, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Tin", "x"))
		if class, _ := publishertest.ClassOf(t, err); class != publishers.AuthInvalid {
			t.Fatalf("publish %d: class %v, want auth_invalid", i, class)
		}
	}
	if n := len(b.fake.Calls()); n != 1 || b.fake.RefreshCalls() != 1 {
		t.Errorf("calls = %d, want the one refused refresh", n)
	}
	h := b.client.Health()
	if h.Healthy || !h.Paused || !strings.HasPrefix(h.LastError, "reconnect") {
		t.Errorf("health = %+v", h)
	}
}

func TestTimeoutOnCreateIsUnknownAndReconcileFindsIt(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) { c.HTTP = &http.Client{Timeout: 300 * time.Millisecond} })
	ct := post(t, "Tháng hành động", "Không bạo lực.")
	b.fake.Hang()

	publishertest.WantUnanswered(t, func() error {
		_, err := b.client.Publish(t.Context(), b.delivery(), ct)
		return err
	})
	b.clock.Advance(time.Minute)
	rc, found, err := b.client.Reconcile(t.Context(), b.delivery(), ct)
	arts := b.fake.Articles()
	if err != nil || !found || len(arts) != 1 || rc.ExternalID != arts[0].ID {
		t.Errorf("reconcile = %+v %v %v; articles %d", rc, found, err, len(arts))
	}
}

func TestVerifyNeverDoneIsUnknown(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) { c.VerifyTries = 3 }, zalotest.WithVerifyPolls(100))
	ct := post(t, "Xử lý lâu", "x")

	_, err := b.client.Publish(t.Context(), b.delivery(), ct)
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Unknown {
		t.Fatalf("class = %v, want unknown", class)
	}
	if n := len(b.callsTo("/v2.0/article/verify")); n != 3 {
		t.Errorf("verify polls = %d, want 3", n)
	}
	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), ct); !found || err != nil {
		t.Errorf("reconcile: found %v, %v", found, err)
	}
}
