package publishers_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	in := "refresh_token rtSECRET9 with key abc is invalid; rtSECRET9 again"
	want := "refresh_token [redacted] with key abc is invalid; [redacted] again"
	if got := publishers.Redact(in, "rtSECRET9", "abc", ""); got != want {
		t.Errorf("got  %s\nwant %s (secrets under 4 characters stay)", got, want)
	}
}

func TestRedactParams(t *testing.T) {
	t.Parallel()
	in := `Post "https://graph.example/v25.0/1/feed?access_token=EAAB123&appsecret_proof=abc&x=1": EOF`
	want := `Post "https://graph.example/v25.0/1/feed?access_token=[redacted]&appsecret_proof=[redacted]&x=1": EOF`
	if got := publishers.RedactParams(in, "access_token", "appsecret_proof"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := publishers.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on an ended context = %v, want context.Canceled at once", err)
	}
	if err := publishers.Sleep(t.Context(), 0); err != nil {
		t.Errorf("Sleep(0) = %v", err)
	}
}
