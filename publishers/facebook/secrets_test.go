package facebook_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
)

// assertNoSecret fails when any credential appears in s.
func assertNoSecret(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range []string{pageToken, appSecret, facebook.AppSecretProof(appSecret, pageToken)} {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains a credential: %s", where, s)
		}
	}
}

func TestCredentialsNeverInLogsErrorsOrHealth(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) { c.AppSecret = appSecret }, facebooktest.WithAppSecret(appSecret))
	var errs []error

	for i := range 120 { // enough for the feed to have a next page, whose URL holds the token
		if _, err := b.client.Publish(t.Context(), b.delivery(), text("", "Bài "+strings.Repeat("x", i))); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := b.client.Reconcile(t.Context(), b.delivery(), text("", "không có"))
	errs = append(errs, err)
	b.fake.FailNext(facebooktest.Throttled)
	_, err = b.client.Publish(t.Context(), b.delivery(), text("", "y"))
	errs = append(errs, err)
	b.clock.Advance(time.Hour)
	b.fake.FailNext(facebooktest.InvalidToken)
	_, err = b.client.Publish(t.Context(), b.delivery(), text("", "z"))
	errs = append(errs, err)
	_, err = b.client.Stats(t.Context(), []string{pageID + "_1"})
	errs = append(errs, err)

	for _, err := range errs {
		if err != nil {
			assertNoSecret(t, "error", err.Error())
		}
	}
	health, _ := json.Marshal(b.client.Health())
	assertNoSecret(t, "health", string(health))
	logs := b.logs.String()
	assertNoSecret(t, "logs", logs)
	if !strings.Contains(logs, "facebook publish failed") {
		t.Error("failures were not logged")
	}
}

// hangingServer answers nothing until the client gives up. It reads the
// body first: net/http notices a client hanging up only after that.
func hangingServer(t *testing.T) *httptest.Server {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv
}

func TestTransportErrorsCarryNoToken(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	hanging := hangingServer(t)
	tests := []struct {
		name, base string
		class      publishers.Class
	}{
		{"connection refused", closed.URL + "/v25.0", publishers.Transient},
		{"timeout on a read", hanging.URL + "/v25.0", publishers.Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := &syncBuffer{}
			c := facebook.New(facebook.Config{GraphURL: tt.base, PageID: pageID, PageToken: pageToken, AppSecret: appSecret,
				HTTP: &http.Client{Timeout: 200 * time.Millisecond}, Log: slog.New(slog.NewJSONHandler(logs, nil))})
			_, _, err := c.Reconcile(t.Context(), publishers.Delivery{DueAt: time.Now()}, text("", "x"))
			if class, _ := classOf(t, err); class != tt.class {
				t.Errorf("class = %v, want %v", class, tt.class)
			}
			assertNoSecret(t, "error", err.Error())
			assertNoSecret(t, "logs", logs.String())
			var ue *url.Error
			if !errors.As(err, &ue) || strings.Contains(ue.URL, "?") {
				t.Errorf("wrapped url.Error = %v, want one without a query", ue)
			}
		})
	}
}

func TestTimeoutOnPublishIsUnknown(t *testing.T) {
	t.Parallel()
	c := facebook.New(facebook.Config{GraphURL: hangingServer(t).URL + "/v25.0", PageID: pageID, PageToken: pageToken,
		HTTP: &http.Client{Timeout: 200 * time.Millisecond}})
	_, err := c.Publish(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := classOf(t, err); class != publishers.Unknown {
		t.Errorf("class = %v, want unknown", class)
	}
	assertNoSecret(t, "error", err.Error())
}

func TestNotConfiguredFailsWithoutCalling(t *testing.T) {
	t.Parallel()
	c := facebook.New(facebook.Config{GraphURL: hangingServer(t).URL})
	_, err := c.Publish(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := classOf(t, err); class != publishers.AuthInvalid {
		t.Errorf("class = %v, want auth_invalid", class)
	}
	if h := c.Health(); h.Configured || h.Healthy {
		t.Errorf("health = %+v", h)
	}
}
