package audio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Synthesizer turns Vietnamese text into speech. Synthesize blocks until
// the provider has produced the whole text (long texts in parts, joined),
// the provider fails, or ctx ends; it returns the provider's audio bytes
// (MP3 or WAV), to be passed to Processor.Normalize like an upload.
//
// Every error from a provider is a *TTSError that wraps exactly one of
// ErrNotConfigured, ErrTransient or ErrPermanent (and may wrap a reason:
// ErrCredentials, ErrQuota, ErrTextTooLong), or an *apperr.ValidationError
// for a bad voice or speed, or ctx's error.
type Synthesizer interface {
	// Name is the provider's name as in TTS_PROVIDER: fpt, vbee, espeak.
	Name() string
	Synthesize(ctx context.Context, text string, opt Options) ([]byte, error)
}

// Options are a synthesis's settings.
type Options struct {
	// Voice is the provider's voice name; "" picks the provider's default.
	Voice string
	// Speed is a rate multiplier: 1 (or 0) is normal, 0.5 slowest, 1.5
	// fastest; each provider maps it to its own scale.
	Speed float64
}

// Speed bounds, shared by every provider.
const (
	MinSpeed = 0.5
	MaxSpeed = 1.5
)

// Error classes of text to speech: what the caller should do.
var (
	// ErrNotConfigured: no provider, no key, or the program is missing;
	// nothing to retry until an administrator acts (API: 409
	// tts_not_configured).
	ErrNotConfigured = errors.New("text to speech is not configured")
	// ErrTransient: the provider failed for now (network, 5xx, throttled,
	// audio not ready before the deadline); retry later with backoff.
	ErrTransient = errors.New("the text-to-speech provider failed for now; try again later")
	// ErrPermanent: the provider refused this request; the same request
	// will fail again.
	ErrPermanent = errors.New("the text-to-speech provider refused the request")
)

// Reasons a TTSError may carry besides its class.
var (
	// ErrCredentials: the key or token was refused (permanent).
	ErrCredentials = errors.New("the text-to-speech key was refused")
	// ErrQuota: the account's character quota is used up (permanent until
	// it is topped up).
	ErrQuota = errors.New("the text-to-speech quota is used up")
	// ErrTextTooLong: the provider refused the text's length (permanent).
	ErrTextTooLong = errors.New("the text is too long for the provider")
)

// TTSError is a classified provider failure. Message is the provider's own
// message, never a credential.
type TTSError struct {
	Provider string
	Class    error // ErrNotConfigured, ErrTransient or ErrPermanent
	Reason   error // ErrCredentials, ErrQuota, ErrTextTooLong or nil
	Status   int   // the HTTP status of the provider's answer, 0 if none
	Code     string
	Message  string
}

func (e *TTSError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v", e.Provider, e.Class)
	if e.Reason != nil {
		fmt.Fprintf(&b, " (%v)", e.Reason)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Unwrap exposes the class and the reason to errors.Is.
func (e *TTSError) Unwrap() []error {
	if e.Reason != nil {
		return []error{e.Class, e.Reason}
	}
	return []error{e.Class}
}

// classifyStatus returns the class of an HTTP error status common to the
// providers: 401/403 refused credentials, 408/429/5xx transient, any other
// 4xx permanent.
func classifyStatus(provider string, status int, code, msg string) *TTSError {
	e := &TTSError{Provider: provider, Class: ErrPermanent, Status: status, Code: code, Message: msg}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Reason = ErrCredentials
	case status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500:
		e.Class = ErrTransient
	case status == http.StatusRequestEntityTooLarge:
		e.Reason = ErrTextTooLong
	}
	return e
}

// transportError classifies an error of the HTTP client itself: ctx's own
// end is returned as it is, anything else (refused, reset, timed out) is
// transient.
func transportError(ctx context.Context, provider string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &TTSError{Provider: provider, Class: ErrTransient, Message: err.Error()}
}

// notConfigured is the error of a provider without its settings.
func notConfigured(provider, what string) error {
	return &TTSError{Provider: provider, Class: ErrNotConfigured, Message: what}
}
