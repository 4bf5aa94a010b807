package facebook_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/publishertest"
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

func TestTransportErrorsCarryNoToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base string
		class      publishers.Class
	}{
		{"connection refused", publishertest.RefusedURL(t) + "/v25.0", publishers.Transient},
		{"timeout on a read", publishertest.NewSilent(t).URL + "/v25.0", publishers.Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := &publishertest.Logs{}
			c := facebook.New(facebook.Config{GraphURL: tt.base, PageID: pageID, PageToken: pageToken, AppSecret: appSecret,
				HTTP: &http.Client{Timeout: 200 * time.Millisecond}, Log: logs.Logger()})
			_, _, err := c.Reconcile(t.Context(), publishers.Delivery{DueAt: time.Now()}, text("", "x"))
			if class, _ := publishertest.ClassOf(t, err); class != tt.class {
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
	c := facebook.New(facebook.Config{GraphURL: publishertest.NewSilent(t).URL + "/v25.0", PageID: pageID, PageToken: pageToken,
		HTTP: &http.Client{Timeout: 200 * time.Millisecond}})
	_, err := c.Publish(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := publishertest.ClassOf(t, err); class != publishers.Unknown {
		t.Errorf("class = %v, want unknown", class)
	}
	assertNoSecret(t, "error", err.Error())
}

func TestNotConfiguredFailsWithoutCalling(t *testing.T) {
	t.Parallel()
	c := facebook.New(facebook.Config{GraphURL: publishertest.NewSilent(t).URL})
	_, err := c.Publish(t.Context(), publishers.Delivery{}, text("", "x"))
	if class, _ := publishertest.ClassOf(t, err); class != publishers.AuthInvalid {
		t.Errorf("class = %v, want auth_invalid", class)
	}
	if h := c.Health(); h.Configured || h.Healthy {
		t.Errorf("health = %+v", h)
	}
}
