// Package zalo publishes articles to a Zalo Official Account and reads
// their views and shares back (reference publishing-apis.md §B).
//
// The OA access token travels in the access_token header. It comes from an
// OAuth v4 refresh whose refresh token is single use and rotates: each new
// pair is saved in the TokenStore before the access token is used, and only
// one replica refreshes at a time (a lease in the store); the others wait and
// read what the winner stored. Every answer is checked for error != 0 even
// on HTTP 200. Tokens never appear in logs, errors or Health.
package zalo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// ChannelName is the channel this package publishes to.
const ChannelName = "zalo"

// Defaults of Config.APIURL and Config.OAuthURL.
const (
	DefaultAPIURL   = "https://openapi.zalo.me"
	DefaultOAuthURL = "https://oauth.zaloapp.com"
)

// Config configures a Client. Zero tunables take the documented defaults.
type Config struct {
	APIURL              string // default https://openapi.zalo.me
	OAuthURL            string // default https://oauth.zaloapp.com
	AppID               string
	AppSecret           string // sent as the secret_key header of the OAuth call
	InitialRefreshToken string // seeds the TokenStore (ZALO_REFRESH_TOKEN)
	Tokens              TokenStore
	HTTP                *http.Client
	Now                 func() time.Time
	Log                 *slog.Logger
	Author              string // article author, at most 50 characters
	Broadcast           bool   // also send each article to all followers
	// PublicURL gives the public address of an image: Zalo fetches article
	// covers and body images by URL. Default: the image's URL field.
	PublicURL func(publishers.Image) string
	// DefaultCover is the cover URL used when the content has no image.
	DefaultCover string

	// VerifyTries and VerifyInterval bound the article/verify polling
	// (defaults 8 × 3s: observed 5–8 tries × 2–3s).
	VerifyTries    int
	VerifyInterval time.Duration
	// LeaseTTL is how long a refresh lease lasts (default 60s, longer than
	// one OAuth call); LeasePoll how often a waiting replica re-reads the
	// store (default 250ms); RefreshBefore how early before expiry the
	// access token is renewed (default 10m).
	LeaseTTL      time.Duration
	LeasePoll     time.Duration
	RefreshBefore time.Duration
	// ThrottleBackoff is the wait after -32 (default 15m; Zalo gives none [?]).
	ThrottleBackoff time.Duration
	// ReconcilePages and StatsPages bound the getslice pages of 10 articles
	// read (defaults 3 and 10); ReconcileLookback is how far before the due
	// time an article may have been created to count (default 1h), applied
	// only when the list gives a creation time [?].
	ReconcilePages    int
	StatsPages        int
	ReconcileLookback time.Duration
	// TitleMax and DescriptionMax cap the article's title and description in
	// characters (defaults 140 and 250: exactly 150 and 300 were refused).
	TitleMax       int
	DescriptionMax int
	// CommentStatus is "show" or "hide" (some clients send enable/disable [?]).
	CommentStatus string
	// Sleep waits d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Owner names this replica in the refresh lease (default random).
	Owner string
}

// Client is a Zalo OA publisher and stats poller, safe for concurrent use.
type Client struct {
	cfg       Config
	api       string
	oauth     string
	log       *slog.Logger
	refreshMu sync.Mutex // one refresh at a time in this process
	standing  publishers.Standing

	mu     sync.Mutex
	tok    Tokens
	seeded bool
}

var _ publishers.Publisher = (*Client)(nil)
var _ publishers.StatsPoller = (*Client)(nil)

// New returns a client for cfg. It makes no call; the TokenStore is seeded
// with InitialRefreshToken on first use. Without cfg.Tokens the client keeps
// its tokens in memory (one replica only, chain lost on restart).
func New(cfg Config) *Client {
	cfg = withDefaults(cfg)
	return &Client{
		cfg:   cfg,
		api:   strings.TrimRight(cfg.APIURL, "/"),
		oauth: strings.TrimRight(cfg.OAuthURL, "/"),
		log:   cfg.Log.With("channel", ChannelName),
	}
}

func withDefaults(cfg Config) Config {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.APIURL, DefaultAPIURL)
	def(&cfg.OAuthURL, DefaultOAuthURL)
	def(&cfg.CommentStatus, "show")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Tokens == nil {
		cfg.Tokens = NewMemoryTokenStore(cfg.Now)
	}
	if cfg.PublicURL == nil {
		cfg.PublicURL = func(img publishers.Image) string { return img.URL }
	}
	if cfg.Sleep == nil {
		cfg.Sleep = publishers.Sleep
	}
	if cfg.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		cfg.Owner = hex.EncodeToString(b)
	}
	dur := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	dur(&cfg.VerifyInterval, 3*time.Second)
	dur(&cfg.LeaseTTL, time.Minute)
	dur(&cfg.LeasePoll, 250*time.Millisecond)
	dur(&cfg.RefreshBefore, 10*time.Minute)
	dur(&cfg.ThrottleBackoff, 15*time.Minute)
	dur(&cfg.ReconcileLookback, time.Hour)
	num := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	num(&cfg.VerifyTries, 8)
	num(&cfg.ReconcilePages, 3)
	num(&cfg.StatsPages, 10)
	num(&cfg.TitleMax, 140)
	num(&cfg.DescriptionMax, 250)
	return cfg
}

// Channel returns "zalo".
func (c *Client) Channel() string { return ChannelName }

// Health reports the channel's state without any credential: a refresh
// token Zalo refused shows Healthy false, Paused true and a LastError
// starting with "reconnect".
func (c *Client) Health() publishers.Health {
	h := publishers.Health{Channel: ChannelName, Configured: c.cfg.AppID != "" && c.cfg.AppSecret != ""}
	c.standing.Report(&h, c.cfg.Now())
	return h
}

// Reconnected clears the "credential invalid" and pause states, after an
// admin stored a new refresh token (TokenStore.Seed) or fixed the OA.
func (c *Client) Reconnected() {
	c.standing.Clear()
	c.mu.Lock()
	c.tok, c.seeded = Tokens{}, false
	c.mu.Unlock()
}
