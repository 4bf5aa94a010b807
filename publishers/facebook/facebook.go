// Package facebook publishes to a Facebook Page through the Graph API
// (reference: publishing-apis.md §A) and reads post insights back.
//
// Credentials travel as the access_token parameter the Graph API expects
// (in the form body for POST, in the query for GET) together with
// appsecret_proof when an app secret is configured. They never appear in
// logs, in returned errors or in Health: errors from net/http carry the URL,
// so their query is stripped, and every platform message is redacted.
//
// The client keeps the channel's state in memory: a credential the Graph API
// called invalid (190 family, 102) stops all further calls until
// Reconnected or SetPageToken, so an expired token costs at most one call;
// a throttle or block pauses calls until the platform's time is up; the
// rate-limit usage headers of every response slow calls down above a
// threshold.
package facebook

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// ChannelName is the channel this package publishes to.
const ChannelName = "facebook"

// DefaultGraphURL is the Graph API base used when Config.GraphURL is empty.
const DefaultGraphURL = "https://graph.facebook.com/v25.0"

// Config configures a Client. Zero tunables take the documented defaults.
type Config struct {
	GraphURL  string // e.g. https://graph.facebook.com/v25.0, no trailing slash
	PageID    string
	PageToken string
	AppSecret string // when set, every call carries appsecret_proof
	HTTP      *http.Client
	Now       func() time.Time
	Log       *slog.Logger

	// SlowAbove is the rate-limit usage in percent above which calls slow
	// down (default 80; the reference advises 75–80).
	SlowAbove int
	// SlowStep is the delay added before a call per percent of usage above
	// SlowAbove (default 500ms), capped at MaxSlowdown (default 30s).
	SlowStep    time.Duration
	MaxSlowdown time.Duration
	// Sleep waits d or until ctx ends; tests replace it. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error

	// ThrottleBackoff is the first wait after a throttle error without
	// estimated_time_to_regain_access (default 1m); it doubles on each
	// throttle in a row up to MaxThrottleBackoff (default 1h).
	ThrottleBackoff    time.Duration
	MaxThrottleBackoff time.Duration
	// BlockedPause is how long code 368 pauses the channel (default 6h: the
	// reference says "hours").
	BlockedPause time.Duration

	// PhotoTextField is the /photos parameter that carries the text. The
	// official sample uses "caption", some clients send "message" [?].
	PhotoTextField string
	// MaxImages is the most images one post may carry (default 10 [?]).
	MaxImages int
	// ReconcileLookback is how long before the due time Reconcile starts
	// looking in the Page feed (default 1h); ReconcilePages bounds the pages
	// of 100 posts it reads (default 5).
	ReconcileLookback time.Duration
	ReconcilePages    int
	// Metrics is the insights registry, our metric → Graph names best first
	// (default DefaultMetrics()).
	Metrics []MetricNames
	// Message turns content into the post text (default: title, a blank
	// line, then the body; the title is left out when the body starts with it).
	Message func(publishers.Content) string
}

// Client is a Facebook Page publisher and stats poller, safe for concurrent use.
type Client struct {
	cfg      Config
	base     string
	version  string
	log      *slog.Logger
	standing publishers.Standing

	mu        sync.Mutex
	token     string
	proof     string
	throttles int // throttle errors in a row
	usage     *int
	rejected  map[string]bool // Graph metric names the API refused
}

var _ publishers.Publisher = (*Client)(nil)
var _ publishers.StatsPoller = (*Client)(nil)

// New returns a client for cfg. It makes no network call; a missing page id
// or token shows as Health().Configured == false.
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	c := &Client{
		cfg:      cfg,
		base:     strings.TrimRight(cfg.GraphURL, "/"),
		log:      cfg.Log.With("channel", ChannelName),
		rejected: map[string]bool{},
	}
	c.version = apiVersion(c.base)
	c.setToken(cfg.PageToken)
	return c
}

func withDefaults(cfg Config) Config {
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = publishers.Sleep
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.SlowStep, 500*time.Millisecond)
	def(&cfg.MaxSlowdown, 30*time.Second)
	def(&cfg.ThrottleBackoff, time.Minute)
	def(&cfg.MaxThrottleBackoff, time.Hour)
	def(&cfg.BlockedPause, 6*time.Hour)
	def(&cfg.ReconcileLookback, time.Hour)
	if cfg.SlowAbove <= 0 || cfg.SlowAbove >= 100 {
		cfg.SlowAbove = 80
	}
	if cfg.PhotoTextField == "" {
		cfg.PhotoTextField = "caption"
	}
	if cfg.MaxImages <= 0 {
		cfg.MaxImages = 10
	}
	if cfg.ReconcilePages <= 0 {
		cfg.ReconcilePages = 5
	}
	if len(cfg.Metrics) == 0 {
		cfg.Metrics = DefaultMetrics()
	}
	if cfg.Message == nil {
		cfg.Message = DefaultMessage
	}
	return cfg
}

// Channel returns "facebook".
func (c *Client) Channel() string { return ChannelName }

// Health reports the channel's state without any credential: a rejected
// token shows Healthy false, Paused true and a LastError starting with
// "reconnect"; a throttle or block shows Paused until it ends.
func (c *Client) Health() publishers.Health {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := publishers.Health{Channel: ChannelName, Configured: c.cfg.PageID != "" && c.token != ""}
	if c.usage != nil {
		u := *c.usage
		h.Usage = &u
	}
	c.standing.Report(&h, c.cfg.Now())
	return h
}

// Reconnected clears the "credential invalid" and pause states after an
// admin fixed the Page connection (e.g. restored the app's permissions)
// without changing the token.
func (c *Client) Reconnected() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.standing.Clear()
}

// SetPageToken replaces the Page token (after an admin reconnected the Page)
// and clears the "credential invalid" state.
func (c *Client) SetPageToken(token string) {
	c.mu.Lock()
	c.setToken(token)
	c.mu.Unlock()
	c.Reconnected()
}

func (c *Client) setToken(token string) {
	c.token = token
	c.proof = ""
	if c.cfg.AppSecret != "" && token != "" {
		c.proof = AppSecretProof(c.cfg.AppSecret, token)
	}
}

// DefaultMessage is the post text: the title, a blank line and the body; just
// the body when it already starts with the title or the title is empty.
func DefaultMessage(ct publishers.Content) string {
	title, body := strings.TrimSpace(ct.Title), strings.TrimSpace(ct.Body)
	if title == "" || strings.HasPrefix(body, title) {
		return body
	}
	if body == "" {
		return title
	}
	return title + "\n\n" + body
}

// apiVersion returns the Graph API version named in the base URL ("v25.0"),
// or "" when the URL names none (Graph then uses the app's default).
func apiVersion(base string) string {
	for _, seg := range strings.Split(base, "/") {
		major, minor, ok := strings.Cut(strings.TrimPrefix(seg, "v"), ".")
		if ok && len(seg) > 1 && seg[0] == 'v' && digits(major) && digits(minor) {
			return seg
		}
	}
	return ""
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
