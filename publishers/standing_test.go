package publishers

import (
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
