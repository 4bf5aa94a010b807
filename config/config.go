// Package config reads Lan Tỏa's settings once, from flags and environment
// variables (a flag wins over its variable), and validates them.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must load on a minimal container
)

// Config is every setting of the service.
type Config struct {
	Addr          string
	DataDir       string
	BaseURL       string
	TZ            string
	Location      *time.Location
	MongoURI      string
	Database      string
	AdminPassword string
	ReadWPM       int
	SupportURL    string

	FacebookPageID    string
	FacebookPageToken string
	FacebookAppSecret string
	FacebookGraphURL  string

	ZaloAppID        string
	ZaloAppSecret    string
	ZaloRefreshToken string
	ZaloAPIURL       string
	ZaloOAuthURL     string

	PortalWebhookURL    string
	PortalWebhookSecret string

	// ZaloCoverURL is the cover of Zalo articles without an image.
	ZaloCoverURL string
	// Lease is how long a delivery claim lasts without renewal; a replica
	// that dies mid-send is taken over after it (LANTOA_LEASE).
	Lease time.Duration
	// PublishTimeout bounds one publish call (LANTOA_PUBLISH_TIMEOUT).
	PublishTimeout time.Duration
	// ClockOffset shifts this process's clock: for fault tests of replicas
	// whose clocks disagree, never for production (LANTOA_CLOCK_OFFSET).
	ClockOffset time.Duration
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For is believed; empty trusts none, so the client
	// address (login limiter) cannot be spoofed (LANTOA_TRUSTED_PROXIES).
	TrustedProxies []string

	lease, publishTimeout, clockOffset, trustedProxies string

	LoudspeakerWebhookURL    string
	LoudspeakerWebhookSecret string
	LoudspeakerPushAt        string

	MetricsToken string

	// Outbox writes what the channels without credentials would publish
	// into the data folder and counts it sent, instead of handing Facebook
	// and Zalo posts to the editors to post by hand: for demos and
	// benchmarks only (LANTOA_OUTBOX=1).
	Outbox bool
	outbox string
	// Audio is loudspeaker audio and text to speech (SPEC §6.3; audio.go).
	Audio Audio

	// Warnings are things an operator should change that do not stop the
	// service (a secret given as a flag); serve logs each once at start.
	Warnings []string
}

// setting ties one field to its environment variable and flag.
type setting struct {
	env, flag, def, help string
	field                func(*Config) *string
	secret               secrecy
}

// secrecy says whether a setting is a secret: a secret also reads from the
// file named by NAME_FILE (or --flag-file), and giving it as a flag is
// warned about.
type secrecy int

const (
	public secrecy = iota
	// secret is always a credential.
	secret
	// secretURL is a URL that may carry a password (user:pass@host); it is
	// warned about as a flag only when it does.
	secretURL
)

// Settings lists every setting; README's configuration table mirrors it.
var settings = []setting{
	{"LANTOA_ADDR", "addr", ":8080", "HTTP listen address", func(c *Config) *string { return &c.Addr }, public},
	{"LANTOA_DATA", "data", "./data", "data folder (embedded store, outbox, media cache)", func(c *Config) *string { return &c.DataDir }, public},
	{"LANTOA_BASE_URL", "base-url", "http://localhost:8080", "public URL of the service (QR codes, links, cookies)", func(c *Config) *string { return &c.BaseURL }, public},
	{"LANTOA_TZ", "tz", "Asia/Ho_Chi_Minh", "time zone of the commune", func(c *Config) *string { return &c.TZ }, public},
	{"MONGODB_URI", "mongodb-uri", "", "MongoDB server or replica set; empty runs the embedded store", func(c *Config) *string { return &c.MongoURI }, secretURL},
	{"LANTOA_DB", "db", "lantoa", "database name", func(c *Config) *string { return &c.Database }, public},
	{"LANTOA_ADMIN_PASSWORD", "admin-password", "", "password of the first admin (user admin); empty prints a random one once", func(c *Config) *string { return &c.AdminPassword }, secret},
	{"LANTOA_SUPPORT_URL", "support-url", "", "where leaflet QR codes lead (default BASE_URL/ho-tro)", func(c *Config) *string { return &c.SupportURL }, public},
	{"FACEBOOK_PAGE_ID", "facebook-page-id", "", "Facebook Page id", func(c *Config) *string { return &c.FacebookPageID }, public},
	{"FACEBOOK_PAGE_TOKEN", "facebook-page-token", "", "Facebook Page access token", func(c *Config) *string { return &c.FacebookPageToken }, secret},
	{"FACEBOOK_APP_SECRET", "facebook-app-secret", "", "Facebook app secret (enables appsecret_proof)", func(c *Config) *string { return &c.FacebookAppSecret }, secret},
	{"FACEBOOK_GRAPH_URL", "facebook-graph-url", "https://graph.facebook.com/v25.0", "Graph API base URL with version, no trailing slash", func(c *Config) *string { return &c.FacebookGraphURL }, public},
	{"ZALO_APP_ID", "zalo-app-id", "", "Zalo app id", func(c *Config) *string { return &c.ZaloAppID }, public},
	{"ZALO_APP_SECRET", "zalo-app-secret", "", "Zalo app secret key", func(c *Config) *string { return &c.ZaloAppSecret }, secret},
	{"ZALO_REFRESH_TOKEN", "zalo-refresh-token", "", "first Zalo OA refresh token (later ones are kept in the store)", func(c *Config) *string { return &c.ZaloRefreshToken }, secret},
	{"ZALO_API_URL", "zalo-api-url", "https://openapi.zalo.me", "Zalo OA Open API base URL", func(c *Config) *string { return &c.ZaloAPIURL }, public},
	{"ZALO_OAUTH_URL", "zalo-oauth-url", "https://oauth.zaloapp.com", "Zalo OAuth base URL", func(c *Config) *string { return &c.ZaloOAuthURL }, public},
	{"PORTAL_WEBHOOK_URL", "portal-webhook-url", "", "commune portal webhook URL", func(c *Config) *string { return &c.PortalWebhookURL }, secretURL},
	{"LANTOA_METRICS_TOKEN", "metrics-token", "", "when set, GET /metrics needs Authorization: Bearer <token>", func(c *Config) *string { return &c.MetricsToken }, secret},
	{"PORTAL_WEBHOOK_SECRET", "portal-webhook-secret", "", "HMAC secret for the portal webhook signature", func(c *Config) *string { return &c.PortalWebhookSecret }, secret},
	{"ZALO_COVER_URL", "zalo-cover-url", "", "public image URL used as the cover of Zalo articles that have no image of their own", func(c *Config) *string { return &c.ZaloCoverURL }, public},
	{"LANTOA_LEASE", "lease", "60s", "how long a delivery claim lasts without renewal (a dead replica's sends are taken over after it)", func(c *Config) *string { return &c.lease }, public},
	{"LANTOA_PUBLISH_TIMEOUT", "publish-timeout", "2m", "longest one publish call may take before its outcome counts as unknown", func(c *Config) *string { return &c.publishTimeout }, public},
	{"LANTOA_CLOCK_OFFSET", "clock-offset", "0s", "FOR TESTS ONLY: shift this process's clock (fault tests of replicas whose clocks disagree)", func(c *Config) *string { return &c.clockOffset }, public},
	{"LANTOA_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is trusted (empty: none)", func(c *Config) *string { return &c.trustedProxies }, public},
	{"LOUDSPEAKER_WEBHOOK_URL", "loudspeaker-webhook-url", "", "where each station's next-day rundown is POSTed for an IP loudspeaker system (empty: no push)", func(c *Config) *string { return &c.LoudspeakerWebhookURL }, secretURL},
	{"LOUDSPEAKER_WEBHOOK_SECRET", "loudspeaker-webhook-secret", "", "HMAC secret for the loudspeaker push signature", func(c *Config) *string { return &c.LoudspeakerWebhookSecret }, secret},
	{"LOUDSPEAKER_PUSH_AT", "loudspeaker-push-at", "18:00", "local time (HH:MM) of the daily loudspeaker push", func(c *Config) *string { return &c.LoudspeakerPushAt }, public},
	{"TTS_PROVIDER", "tts-provider", "", "text to speech for loudspeaker scripts: fpt, vbee, espeak or empty (none)", func(c *Config) *string { return &c.Audio.Provider }, public},
	{"TTS_API_KEY", "tts-api-key", "", "text-to-speech key (FPT.AI api_key; Vbee app token)", func(c *Config) *string { return &c.Audio.APIKey }, secret},
	{"TTS_APP_ID", "tts-app-id", "", "Vbee app id", func(c *Config) *string { return &c.Audio.AppID }, public},
	{"TTS_URL", "tts-url", "", "text-to-speech API URL (empty: the provider's own)", func(c *Config) *string { return &c.Audio.URL }, public},
	{"TTS_CALLBACK_SECRET", "tts-callback-secret", "", "secret (16+ characters) signing the Vbee callback URL", func(c *Config) *string { return &c.Audio.CallbackSecret }, secret},
	{"LANTOA_FFMPEG", "ffmpeg", "ffmpeg", "ffmpeg program (name on PATH or path) for loudspeaker audio", func(c *Config) *string { return &c.Audio.FFmpeg }, public},
	{"LANTOA_FFPROBE", "ffprobe", "ffprobe", "ffprobe program (name on PATH or path)", func(c *Config) *string { return &c.Audio.FFprobe }, public},
	{"LANTOA_OUTBOX", "outbox", "0", "1: channels without credentials write to the outbox folder and count as sent (demos, benchmarks); 0: Facebook and Zalo without credentials are posted by hand", func(c *Config) *string { return &c.outbox }, public},
}

// Load parses args (without the program name and subcommand) over the
// environment given by getenv, then validates. Errors name the setting.
func Load(name string, args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	var errs []error
	secrets := map[string]secretSource{}
	for _, s := range settings {
		v, err := s.fromEnv(getenv)
		if err != nil {
			errs = append(errs, err)
		}
		if v == "" {
			v = s.def
		}
		if s.secret == public {
			fs.StringVar(s.field(c), s.flag, v, s.help+" ($"+s.env+")")
			continue
		}
		// A secret's flag has no default from the environment, so that
		// --help never prints it; the value is applied after parsing.
		secrets[s.flag] = secretSource{env: v, file: fs.String(s.flag+"-file", "", "file holding "+s.env+" ($"+s.env+"_FILE)")}
		fs.StringVar(s.field(c), s.flag, "", s.help+" ($"+s.env+" or $"+s.env+"_FILE; a flag is readable by every local user)")
	}
	wpm := fs.Int("read-wpm", envInt(getenv, "LANTOA_READ_WPM", 130), "loudspeaker reading speed, words a minute ($LANTOA_READ_WPM)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.ReadWPM = *wpm
	errs = append(errs, c.applySecrets(fs, secrets))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, c.validate()
}

func envInt(getenv func(string) string, key string, def int) int {
	if v, err := strconv.Atoi(getenv(key)); err == nil {
		return v
	}
	return def
}

func (c *Config) validate() error {
	var errs []error
	bad := func(setting, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", setting, fmt.Sprintf(format, a...)))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("LANTOA_ADDR", "%q is not host:port (%v)", c.Addr, err)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("LANTOA_DATA", "must not be empty")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("LANTOA_BASE_URL", "%q is not an http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		bad("LANTOA_TZ", "unknown time zone %q", c.TZ)
	}
	c.Location = loc
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		bad("MONGODB_URI", "must start with mongodb:// or mongodb+srv://")
	}
	if c.Database == "" || strings.ContainsAny(c.Database, "/\\. \"$") {
		bad("LANTOA_DB", "%q is not a valid database name", c.Database)
	}
	if c.AdminPassword != "" && len([]rune(c.AdminPassword)) < 10 {
		bad("LANTOA_ADMIN_PASSWORD", "must be at least 10 characters")
	}
	if c.ReadWPM < 40 || c.ReadWPM > 400 {
		bad("LANTOA_READ_WPM", "%d is outside 40–400 words a minute", c.ReadWPM)
	}
	if c.SupportURL == "" {
		c.SupportURL = c.BaseURL + "/ho-tro"
	}
	c.FacebookGraphURL = strings.TrimRight(c.FacebookGraphURL, "/")
	c.validateDelivery(bad)
	c.validateAudio(bad)
	if c.LoudspeakerWebhookURL != "" {
		if u, err := url.Parse(c.LoudspeakerWebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("LOUDSPEAKER_WEBHOOK_URL", "is not an http(s) URL")
		}
		if c.LoudspeakerWebhookSecret == "" {
			bad("LOUDSPEAKER_WEBHOOK_SECRET", "is required with LOUDSPEAKER_WEBHOOK_URL")
		}
	}
	if t, err := time.Parse("15:04", c.LoudspeakerPushAt); err != nil || t.Format("15:04") != c.LoudspeakerPushAt {
		bad("LOUDSPEAKER_PUSH_AT", "%q is not a time of day HH:MM", c.LoudspeakerPushAt)
	}
	return errors.Join(errs...)
}

// validateDelivery checks the publishing and dispatch settings.
func (c *Config) validateDelivery(bad func(setting, format string, a ...any)) {
	if c.PortalWebhookURL != "" {
		if u, err := url.Parse(c.PortalWebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PORTAL_WEBHOOK_URL", "is not an http(s) URL")
		}
		if c.PortalWebhookSecret == "" {
			bad("PORTAL_WEBHOOK_SECRET", "is required with PORTAL_WEBHOOK_URL")
		}
	}
	duration := func(setting, raw string, lo, hi time.Duration) time.Duration {
		d, err := time.ParseDuration(raw)
		if err != nil || d < lo || d > hi {
			bad(setting, "%q is not a duration between %s and %s (e.g. 60s, 2m)", raw, lo, hi)
		}
		return d
	}
	switch strings.ToLower(strings.TrimSpace(c.outbox)) {
	case "1", "true", "yes", "on":
		c.Outbox = true
	case "", "0", "false", "no", "off":
		c.Outbox = false
	default:
		bad("LANTOA_OUTBOX", "%q is not 1 or 0", c.outbox)
	}
	c.Lease = duration("LANTOA_LEASE", c.lease, 3*time.Second, time.Hour)
	c.PublishTimeout = duration("LANTOA_PUBLISH_TIMEOUT", c.publishTimeout, time.Second, 30*time.Minute)
	c.ClockOffset = duration("LANTOA_CLOCK_OFFSET", c.clockOffset, -time.Hour, time.Hour)
	c.TrustedProxies = nil
	for _, p := range strings.Split(c.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		_, _, cidrErr := net.ParseCIDR(p)
		if net.ParseIP(p) == nil && cidrErr != nil {
			bad("LANTOA_TRUSTED_PROXIES", "%q is not an IP address or CIDR", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
}
