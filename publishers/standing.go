package publishers

import (
	"context"
	"sync"
	"time"
)

// Standing is a platform client's standing with its platform, shared by
// the Facebook and Zalo clients: a credential the platform refused (every
// call fails as AuthInvalid until an admin reconnects), a pause after a
// throttle or a block (calls are refused without being sent until it
// ends), and the last error, as Health reports them. The zero value is a
// channel in good standing; it is safe for concurrent use. Times are passed
// in, from the client's clock.
type Standing struct {
	mu          sync.Mutex
	authErr     *Error // set when the credential is known bad
	pauseErr    *Error // throttled or blocked until pausedUntil
	pausedUntil time.Time
	lastErr     string
}

// Gate returns the error a call must fail with, without being sent, or
// nil when it may go: ctx's end (Transient, "not sent: …": nothing left,
// so a retry is safe), a channel that is not configured (AuthInvalid with
// the message unconfigured, which tells an admin what to set), or the
// Refusal.
func (s *Standing) Gate(ctx context.Context, now time.Time, configured bool, unconfigured string) error {
	if err := ctx.Err(); err != nil {
		return &Error{Class: Transient, Message: "not sent: " + err.Error(), Err: err}
	}
	if !configured {
		return &Error{Class: AuthInvalid, Message: unconfigured}
	}
	if e := s.Refusal(now); e != nil {
		return e
	}
	return nil
}

// Refusal is the error a call must fail with, without being sent, while
// the credential is known bad or a pause lasts (its RetryAfter is what is
// left of the pause), or nil.
func (s *Standing) Refusal(now time.Time) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.authErr != nil:
		e := *s.authErr
		return &e
	case s.pauseErr != nil:
		if left := s.pausedUntil.Sub(now); left > 0 {
			e := *s.pauseErr
			e.RetryAfter = left
			return &e
		}
		s.pauseErr = nil
	}
	return nil
}

// Failed records a failed call and returns e, so that a client can end
// with `return standing.Failed(e, now)`: a refused credential stands until
// Clear, a throttle or a block pauses the channel for its RetryAfter, and
// any error is the last error.
func (s *Standing) Failed(e *Error, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastErr = e.Error()
	switch e.Class {
	case AuthInvalid:
		s.authErr = e
	case Throttled, Blocked:
		s.pauseErr, s.pausedUntil = e, now.Add(e.RetryAfter)
	}
	return e
}

// Note records an error that changes nothing but what Health shows.
func (s *Standing) Note(msg string) {
	s.mu.Lock()
	s.lastErr = msg
	s.mu.Unlock()
}

// Report fills h's Paused, Healthy and LastError; h.Configured must be set.
func (s *Standing) Report(h *Health, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.LastError = s.lastErr
	switch {
	case s.authErr != nil:
		h.Paused, h.LastError = true, s.authErr.Message
	case s.pauseErr != nil && now.Before(s.pausedUntil):
		h.Paused, h.LastError = true, s.pauseErr.Message
	default:
		h.Healthy = h.Configured
	}
}

// Clear forgets the refused credential, the pause and the last error,
// after an admin reconnected the channel.
func (s *Standing) Clear() {
	s.mu.Lock()
	s.authErr, s.pauseErr, s.pausedUntil, s.lastErr = nil, nil, time.Time{}, ""
	s.mu.Unlock()
}
