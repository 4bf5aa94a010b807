// Package publishers defines how content leaves Lan Tỏa: the Publisher
// interface every channel implements, the error classes the dispatcher acts
// on, and the reach-stats interface of channels that have statistics. One
// sub-package per channel (facebook, zalo, portal, outbox, …) implements it;
// publishers never import deliveries or dispatch.
//
// It also owns what every client shares, so that each rule exists once:
// the sent-or-not rule that classifies a failed exchange and prevents
// double posts (transport.go: NotSent, TransportClass, StatusClass,
// AnsweredClass, TransportError, Undecodable, SafeURL), the redaction of
// credentials from messages (Redact, RedactParams), a client's standing
// with its platform and the gate before each call (Standing), and Sleep.
// Their tests' shared helpers are in publishertest.
package publishers

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Delivery is one send of one content item on one channel at one moment.
type Delivery struct {
	ID         string
	CommuneID  string
	ItemID     string
	CampaignID string
	Channel    string
	StationID  string
	DueAt      time.Time
	Attempt    int // 1 for the first try
}

// Image is an image attached to a post. Data holds the bytes; URL, when
// set, is a public URL of the same image (Zalo covers need one).
type Image struct {
	Name        string
	ContentType string
	Data        []byte
	URL         string
}

// Content is what a delivery sends.
type Content struct {
	Kind   string // script, post, leaflet, event
	Title  string
	Body   string
	Link   string
	Images []Image
	// Extra carries channel-specific material (e.g. print files) by name.
	Extra map[string][]byte
}

// Receipt is the platform's answer to a successful publish.
type Receipt struct {
	ExternalID string
	URL        string
}

// Publisher sends content on one channel. Publish is a mutation and is never
// retried blindly: after an error of class Unknown (a timeout, a dropped
// connection) the dispatcher calls Reconcile first and resends only when the
// platform has no such post.
type Publisher interface {
	Channel() string
	Publish(ctx context.Context, d Delivery, c Content) (Receipt, error)
	Reconcile(ctx context.Context, d Delivery, c Content) (Receipt, bool, error)
}

// Class is what the dispatcher should do after a failed publish.
type Class int

const (
	// Unknown: the outcome is not known (timeout, connection dropped after
	// sending). Reconcile before any resend.
	Unknown Class = iota
	// Transient: it did not happen; retry with exponential backoff and jitter.
	Transient
	// Throttled: the platform asked us to wait RetryAfter (or back off).
	Throttled
	// Permanent: it will never work as is (bad request, content refused): dead.
	Permanent
	// AuthInvalid: the channel's credential is invalid or expired; pause the
	// whole channel until an admin reconnects it, without failing deliveries.
	AuthInvalid
	// Blocked: the platform blocked the account or content (e.g. Facebook 368);
	// pause long and alert.
	Blocked
)

func (c Class) String() string {
	return [...]string{"unknown", "transient", "throttled", "permanent", "auth_invalid", "blocked"}[c]
}

// Error is a classified publish error. Message is safe to show to editors
// and never contains a token.
type Error struct {
	Class      Class
	Code       string        // the platform's code, e.g. "190/463" or "-216"
	Message    string        // the platform's message, without credentials
	RetryAfter time.Duration // for Throttled and Blocked, when the platform says
	Err        error
}

func (e *Error) Error() string {
	s := e.Class.String()
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Classify returns the class of err: the class of a *Error in its chain,
// Unknown for context deadline or cancellation errors and anything else
// (the safe default: reconcile before resending).
func Classify(err error) (Class, time.Duration) {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Class, pe.RetryAfter
	}
	return Unknown, 0
}

// Errorf builds a classified error.
func Errorf(class Class, code, format string, args ...any) *Error {
	return &Error{Class: class, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Stat is one metric of one post read from a platform. Value nil means the
// platform gave nothing (unknown), which is not 0.
type Stat struct {
	Metric         string // our metric name (SPEC §5): reach, views, clicks, engagements, shares …
	Value          *int64
	PlatformMetric string // the platform's name for it, e.g. post_total_media_view_unique
	APIVersion     string
}

// StatsPoller reads lifetime statistics of published posts.
type StatsPoller interface {
	Channel() string
	Stats(ctx context.Context, externalIDs []string) (map[string][]Stat, error)
}

// Health is a channel's state for GET /api/v1/channels. Usage is the
// platform's reported use of its rate limit in percent, when known.
type Health struct {
	Channel    string `json:"channel"`
	Configured bool   `json:"configured"`
	Healthy    bool   `json:"healthy"`
	Paused     bool   `json:"paused"`
	LastError  string `json:"last_error"`
	Usage      *int   `json:"usage"`
}
