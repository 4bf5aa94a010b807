package publishers

import "time"

// Standing is a platform client's standing with its platform, shared by
// the Facebook and Zalo clients: a credential the platform refused (every
// call fails as AuthInvalid until an admin reconnects), a pause after a
// throttle or a block (calls are refused without being sent until it
// ends), and the last error, as Health reports them. Its methods do not
// lock: the client calls them under its own lock, which also guards its
// credentials.
type Standing struct {
	authErr     *Error // set when the credential is known bad
	pauseErr    *Error // throttled or blocked until pausedUntil
	pausedUntil time.Time
	lastErr     string
}

// Refusal is the error a call must fail with, without being sent, while
// the credential is known bad or a pause lasts (its RetryAfter is what is
// left of the pause), or nil.
func (s *Standing) Refusal(now time.Time) *Error {
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

// Failed records a failed call: a refused credential stands until Clear,
// a throttle or a block pauses the channel for its RetryAfter.
func (s *Standing) Failed(e *Error, now time.Time) {
	s.lastErr = e.Error()
	switch e.Class {
	case AuthInvalid:
		s.authErr = e
	case Throttled, Blocked:
		s.pauseErr, s.pausedUntil = e, now.Add(e.RetryAfter)
	}
}

// Note records an error that changes nothing but what Health shows.
func (s *Standing) Note(msg string) { s.lastErr = msg }

// Report fills h's Paused, Healthy and LastError; h.Configured must be set.
func (s *Standing) Report(h *Health, now time.Time) {
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
func (s *Standing) Clear() { *s = Standing{} }
