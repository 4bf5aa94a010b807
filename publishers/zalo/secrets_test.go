package zalo_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

// seenSecrets lists every credential that crossed the wire to the fake.
func seenSecrets(b *bundle) []string {
	out := []string{b.fake.AppSecret, b.cfg.InitialRefreshToken, b.fake.InitialRefreshToken()}
	for _, c := range b.fake.Calls() {
		out = append(out, c.AccessToken, c.SecretKey, c.Form.Get("refresh_token"))
	}
	return out
}

func assertClean(t *testing.T, where, s string, secrets []string) {
	t.Helper()
	for _, v := range secrets {
		if len(v) >= 8 && strings.Contains(s, v) {
			t.Errorf("%s contains a credential: %s", where, s)
		}
	}
}

func TestTokensNeverInLogsErrorsOrHealth(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *zalo.Config) { c.Broadcast = true; c.VerifyTries = 2 }, zalotest.WithVerifyPolls(3))
	var errs []error
	publish := func(title string) {
		_, err := b.client.Publish(t.Context(), b.delivery(), post(t, title, "x"))
		errs = append(errs, err)
	}
	publish("verify gives up") // Unknown after 2 polls
	b.fake.FailNext(zalotest.ExpiredToken)
	publish("after expiry")
	b.fake.FailNext(zalotest.InvalidParam)
	publish("invalid")
	b.fake.FailNext(zalotest.RateLimit)
	publish("throttled")
	_, err := b.client.Stats(t.Context(), []string{"x"})
	errs = append(errs, err)

	secrets := seenSecrets(b)
	if len(secrets) < 6 {
		t.Fatalf("only %d credentials seen; the test exercised too little", len(secrets))
	}
	for _, err := range errs {
		if err != nil {
			assertClean(t, "error", err.Error(), secrets)
		}
	}
	health, _ := json.Marshal(b.client.Health())
	assertClean(t, "health", string(health), secrets)
	logs := b.logs.String()
	assertClean(t, "logs", logs, secrets)
	if !strings.Contains(logs, "zalo access token refreshed") || !strings.Contains(logs, "zalo publish failed") {
		t.Errorf("expected log lines missing:\n%s", logs)
	}
}

func TestRefusedRefreshLeaksNothing(t *testing.T) {
	t.Parallel()
	const spent = "spentRefreshTokenSECRET123"
	// An OAuth server that echoes what it got, as a careless one might.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		_ = json.NewEncoder(w).Encode(map[string]any{"error": -14014, "error_name": "Invalid refresh token",
			"error_description": "refresh_token " + r.PostForm.Get("refresh_token") + " with key " + r.Header.Get("secret_key") + " is invalid"})
	}))
	t.Cleanup(echo.Close)
	logs := &publishertest.Logs{}
	b := &bundle{logs: logs, clock: publishertest.NewClock()}
	c := zalo.New(zalo.Config{APIURL: echo.URL, OAuthURL: echo.URL, AppID: "1", AppSecret: "appSecretSECRET456",
		InitialRefreshToken: spent, Now: b.clock.Now, DefaultCover: "https://lienminh.example.vn/cover.png", HTTP: &http.Client{Timeout: time.Second}})

	_, err := c.Publish(t.Context(), b.delivery(), post(t, "x", "y"))
	if err == nil {
		t.Fatal("publish succeeded with a refused refresh token")
	}
	secrets := []string{spent, "appSecretSECRET456"}
	assertClean(t, "error", err.Error(), secrets)
	h, _ := json.Marshal(c.Health())
	assertClean(t, "health", string(h), secrets)
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error = %q, want the echoed token redacted", err)
	}
}
