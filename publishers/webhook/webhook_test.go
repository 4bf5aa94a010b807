package webhook_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/webhook"
)

const secret = "portalWebhookSECRET42"

func TestPostIsSignedAndVerifiable(t *testing.T) {
	t.Parallel()
	body := []byte(`{"item_id":"i1","title":"Ngày 25/11"}`)
	var got atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ok := r.Method == http.MethodPost && r.Header.Get("Content-Type") == "application/json" &&
			string(b) == string(body) && webhook.Verify(secret, b, r.Header.Get(webhook.SignatureHeader))
		got.Store(ok)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)

	if err := webhook.Post(t.Context(), srv.URL+"/hook", secret, body); err != nil {
		t.Fatal(err)
	}
	if !got.Load() {
		t.Error("the receiver could not verify the request")
	}
}

func TestSignatureFormatAndVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"a":1}`)
	sig := webhook.Sign(secret, body)
	// Independently computed: printf '{"a":1}' | openssl dgst -sha256 -hmac portalWebhookSECRET42
	if want := "sha256=815873e863c6393eec07b3f5b98582a6f68636f99ae594c190d4a00342245b13"; sig != want {
		t.Fatalf("signature = %q, want %q", sig, want)
	}
	tests := []struct {
		name, secret, header string
		body                 []byte
		want                 bool
	}{
		{"valid", secret, sig, body, true},
		{"valid with spaces", secret, " " + sig + " ", body, true},
		{"wrong secret", "other", sig, body, false},
		{"tampered body", secret, sig, []byte(`{"a":2}`), false},
		{"bare hex", secret, strings.TrimPrefix(sig, "sha256="), body, false},
		{"empty header", secret, "", body, false},
		{"empty secret", "", webhook.Sign("", body), body, false},
	}
	for _, tt := range tests {
		if got := webhook.Verify(tt.secret, tt.body, tt.header); got != tt.want {
			t.Errorf("%s: Verify = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFailureClasses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		serve func(w http.ResponseWriter)
		class publishers.Class
		wait  time.Duration
	}{
		{"500", func(w http.ResponseWriter) { w.WriteHeader(500) }, publishers.Transient, 0},
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, publishers.Transient, 0},
		{"504", func(w http.ResponseWriter) { w.WriteHeader(504) }, publishers.Unknown, 0},
		{"408", func(w http.ResponseWriter) { w.WriteHeader(408) }, publishers.Transient, 0},
		{"404", func(w http.ResponseWriter) { w.WriteHeader(404) }, publishers.Permanent, 0},
		{"401", func(w http.ResponseWriter) { w.WriteHeader(401) }, publishers.Permanent, 0},
		{"429 seconds", func(w http.ResponseWriter) { w.Header().Set("Retry-After", "120"); w.WriteHeader(429) }, publishers.Throttled, 2 * time.Minute},
		{"429 date", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
			w.WriteHeader(429)
		}, publishers.Throttled, 90 * time.Second},
		{"redirect", func(w http.ResponseWriter) { w.Header().Set("Location", "/elsewhere"); w.WriteHeader(302) }, publishers.Permanent, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.serve(w)
			}))
			t.Cleanup(srv.Close)
			c := &webhook.Client{Now: func() time.Time { return now }}

			err := c.Post(t.Context(), srv.URL+"/hook?token=urlSECRET", secret, []byte(`{}`))
			class, wait := publishers.Classify(err)
			if class != tt.class || wait != tt.wait {
				t.Errorf("got %v %v (%v), want %v %v", class, wait, err, tt.class, tt.wait)
			}
			if hits.Load() != 1 {
				t.Errorf("receiver hits = %d, want 1 (no redirect followed, no retry)", hits.Load())
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "urlSECRET") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestTimeoutIsUnknownAndRefusedIsTransient(t *testing.T) {
	t.Parallel()
	slow := publishertest.NewSilent(t)
	c := &webhook.Client{Timeout: 200 * time.Millisecond}

	start := time.Now()
	err := c.Post(t.Context(), slow.URL+"/?key=urlSECRET", secret, []byte(`{}`))
	if class, _ := publishers.Classify(err); class != publishers.Unknown || time.Since(start) > 2*time.Second {
		t.Errorf("timeout: %v after %v, want unknown within the timeout", err, time.Since(start))
	}
	if strings.Contains(err.Error(), "urlSECRET") {
		t.Errorf("error leaks the URL query: %v", err)
	}
	err = c.Post(t.Context(), publishertest.RefusedURL(t), secret, []byte(`{}`))
	var pe *publishers.Error
	if !errors.As(err, &pe) || pe.Class != publishers.Transient {
		t.Errorf("connection refused: %v, want transient", err)
	}
}

func TestEmptySecretIsRefused(t *testing.T) {
	t.Parallel()
	err := webhook.Post(t.Context(), "http://127.0.0.1:1/", "", []byte(`{}`))
	if class, _ := publishers.Classify(err); class != publishers.Permanent {
		t.Errorf("class = %v, want permanent", class)
	}
}
