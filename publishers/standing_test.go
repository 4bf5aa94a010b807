package publishers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestStanding(t *testing.T) {
	now := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	var s Standing
	h := Health{Configured: true}
	s.Report(&h, now)
	if !h.Healthy || h.Paused || s.Refusal(now) != nil {
		t.Fatalf("fresh: %+v", h)
	}

	// A throttle pauses the channel for what the platform asked, no longer.
	s.Failed(&Error{Class: Throttled, Message: "rate limit", RetryAfter: 10 * time.Minute}, now)
	if e := s.Refusal(now.Add(4 * time.Minute)); e == nil || e.Class != Throttled || e.RetryAfter != 6*time.Minute {
		t.Fatalf("during the pause: %+v", e)
	}
	h = Health{Configured: true}
	s.Report(&h, now.Add(time.Minute))
	if h.Healthy || !h.Paused || h.LastError != "rate limit" {
		t.Fatalf("paused: %+v", h)
	}
	if e := s.Refusal(now.Add(10 * time.Minute)); e != nil {
		t.Fatalf("after the pause: %+v", e)
	}

	// A refused credential stands until an admin reconnects.
	s.Failed(&Error{Class: AuthInvalid, Message: "reconnect the Page"}, now)
	if e := s.Refusal(now.Add(48 * time.Hour)); e == nil || e.Class != AuthInvalid {
		t.Fatalf("refused credential: %+v", e)
	}
	// A transient error is only noted.
	s.Failed(&Error{Class: Transient, Message: "timeout"}, now)
	h = Health{Configured: true}
	s.Report(&h, now)
	if !h.Paused || h.LastError != "reconnect the Page" {
		t.Fatalf("with a refused credential: %+v", h)
	}
	s.Clear()
	h = Health{Configured: true}
	s.Report(&h, now)
	if !h.Healthy || h.Paused || h.LastError != "" || s.Refusal(now) != nil {
		t.Fatalf("after Clear: %+v", h)
	}
	s.Note("stats poll failed")
	h = Health{Configured: false}
	s.Report(&h, now)
	if h.Healthy || h.LastError != "stats poll failed" {
		t.Fatalf("unconfigured: %+v", h)
	}
}

func TestStandingGate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	var s Standing
	const unconfigured = "reconnect the Page: no token configured"

	ended, cancel := context.WithCancel(t.Context())
	cancel()
	var e *Error
	if err := s.Gate(ended, now, true, unconfigured); !errors.As(err, &e) || e.Class != Transient ||
		!strings.HasPrefix(e.Message, "not sent: ") || !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v, want transient \"not sent\" wrapping the context's error", err)
	}
	if err := s.Gate(t.Context(), now, false, unconfigured); !errors.As(err, &e) || e.Class != AuthInvalid || e.Message != unconfigured {
		t.Errorf("not configured: %v, want auth_invalid %q", err, unconfigured)
	}
	if err := s.Gate(t.Context(), now, true, unconfigured); err != nil {
		t.Errorf("in good standing: %v (%T), want nil", err, err)
	}
	if got := s.Failed(&Error{Class: Blocked, Message: "blocked", RetryAfter: time.Hour}, now); got == nil {
		t.Error("Failed returned nil, want the error it recorded")
	}
	if err := s.Gate(t.Context(), now.Add(time.Minute), true, unconfigured); !errors.As(err, &e) || e.Class != Blocked || e.RetryAfter != 59*time.Minute {
		t.Errorf("blocked: %v, want the Standing's refusal", err)
	}
}
