// Package portal publishes to the commune's web portal (Trang Thông tin điện
// tử xã) in two ways that work together:
//
//   - a signed webhook: Publish POSTs the item as JSON to PORTAL_WEBHOOK_URL
//     with the header X-LanToa-Signature: sha256=<hex HMAC-SHA256 of the body
//     keyed by PORTAL_WEBHOOK_SECRET> (package webhook) and the header
//     Idempotency-Key: <delivery id>;
//   - an Atom feed (RFC 4287) of the published items, which the portal, or
//     anyone, can pull: WriteFeed renders it, GET /feed.atom serves it.
//
// Both name an item by the same stable id, EntryID (a urn:uuid derived from
// the item id), so a portal that reads the feed and receives webhooks sees
// one entry per item.
//
// The portal cannot be asked what it already has, so Reconcile always
// answers "not found" and the dispatcher resends after an interrupted send:
// the resend carries the same Idempotency-Key and a byte-identical body (it
// holds no send time, only the delivery's due time), which is how the
// receiver must recognise it. A receiver that ignores the key shows the
// item twice; that is the documented contract of the webhook.
package portal

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/webhook"
)

// ChannelName is the channel this package publishes to.
const ChannelName = "portal"

// IdempotencyHeader carries the delivery id on every webhook request.
const IdempotencyHeader = "Idempotency-Key"

// Config configures a Client.
type Config struct {
	// WebhookURL receives the signed POSTs (PORTAL_WEBHOOK_URL).
	WebhookURL string
	// Secret keys the HMAC signature (PORTAL_WEBHOOK_SECRET).
	Secret string
	// HTTP sends the requests; nil means a client with a 30 s timeout.
	// Redirects are never followed (a redirected POST becomes a GET).
	HTTP *http.Client
	// Timeout bounds one webhook call (default webhook.DefaultTimeout).
	Timeout time.Duration
	// Now reads the clock (default time.Now).
	Now func() time.Time
	// Log receives one line per send, never the secret or the URL's query.
	Log *slog.Logger
}

// Client is the portal publisher, safe for concurrent use.
type Client struct {
	cfg  Config
	hook *webhook.Client
	log  *slog.Logger

	mu      sync.Mutex
	lastErr string
	failing bool
}

var _ publishers.Publisher = (*Client)(nil)

// New returns a portal publisher for cfg. It makes no call.
func New(cfg Config) *Client {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	base := cfg.HTTP
	if base == nil {
		base = &http.Client{Timeout: 30 * time.Second}
	}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	// webhook.Client sets the signature; the idempotency key rides in the
	// request context and is added here, so the webhook package stays generic.
	httpc := &http.Client{
		Transport:     idempotency{next: transport},
		Timeout:       base.Timeout,
		Jar:           base.Jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{cfg: cfg, log: cfg.Log.With("channel", ChannelName),
		hook: &webhook.Client{HTTP: httpc, Timeout: cfg.Timeout, Now: cfg.Now, UserAgent: "LanToa-Portal/1"}}
}

// Channel returns "portal".
func (c *Client) Channel() string { return ChannelName }

// Payload is the JSON body of a portal webhook. ID is the stable entry id of
// the item (the Atom entry id); DeliveryID is also the Idempotency-Key.
// Body is the text as escaped HTML paragraphs. PublishedAt is the delivery's
// due time, so that a resend is byte for byte the same request.
type Payload struct {
	ID          string    `json:"id"`
	DeliveryID  string    `json:"delivery_id"`
	ItemID      string    `json:"item_id"`
	CampaignID  string    `json:"campaign_id"`
	CommuneID   string    `json:"commune_id"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Link        string    `json:"link"`
	ImageURL    string    `json:"image_url"`
	PublishedAt time.Time `json:"published_at"`
}

// NewPayload builds the webhook body of a delivery.
func NewPayload(d publishers.Delivery, ct publishers.Content) Payload {
	p := Payload{ID: EntryID(d.ItemID), DeliveryID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, CommuneID: d.CommuneID,
		Title: norm.NFC.String(strings.TrimSpace(ct.Title)), Body: HTML(ct.Body), Link: ct.Link, PublishedAt: d.DueAt.UTC()}
	for _, img := range ct.Images {
		if img.URL != "" {
			p.ImageURL = img.URL
			break
		}
	}
	return p
}

// Publish POSTs the delivery's payload, signed, with Idempotency-Key set to
// the delivery id. Errors are *publishers.Error classified by package
// webhook: connection refused and 5xx are Transient, 429 Throttled (with
// Retry-After), other 4xx Permanent, and a timeout after the request left
// Unknown (the dispatcher then calls Reconcile, which cannot tell, and
// resends with the same key).
func (c *Client) Publish(ctx context.Context, d publishers.Delivery, ct publishers.Content) (publishers.Receipt, error) {
	if c.cfg.WebhookURL == "" {
		return publishers.Receipt{}, c.note(publishers.Errorf(publishers.Permanent, "", "the portal webhook URL is not configured"))
	}
	p := NewPayload(d, ct)
	body, err := json.Marshal(p)
	if err != nil {
		return publishers.Receipt{}, c.note(publishers.Errorf(publishers.Permanent, "", "encoding the portal payload: %v", err))
	}
	err = c.hook.Post(context.WithValue(ctx, keyCtx{}, d.ID), c.cfg.WebhookURL, c.cfg.Secret, body)
	if err != nil {
		class, _ := publishers.Classify(err)
		c.log.Warn("portal webhook failed", "delivery", d.ID, "class", class.String(), "err", err)
		return publishers.Receipt{}, c.note(err)
	}
	c.note(nil)
	c.log.Info("portal webhook delivered", "delivery", d.ID, "entry", p.ID)
	return publishers.Receipt{ExternalID: p.ID, URL: ct.Link}, nil
}

// Reconcile cannot ask the portal whether it has the item, so it reports
// "not found" and lets the dispatcher resend: the resend carries the same
// Idempotency-Key and body, and the receiver drops it if it has both.
func (c *Client) Reconcile(context.Context, publishers.Delivery, publishers.Content) (publishers.Receipt, bool, error) {
	return publishers.Receipt{}, false, nil
}

// Health reports the channel's state without the secret or the URL's query:
// configured when a URL and a secret are set, unhealthy after a failed send
// until the next success.
func (c *Client) Health() publishers.Health {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := publishers.Health{Channel: ChannelName, Configured: c.cfg.WebhookURL != "" && c.cfg.Secret != "", LastError: c.lastErr}
	h.Healthy = h.Configured && !c.failing
	return h
}

// Reconnected forgets the last failure (after an admin fixed the receiver).
func (c *Client) Reconnected() {
	c.mu.Lock()
	c.lastErr, c.failing = "", false
	c.mu.Unlock()
}

// note records the outcome of a send for Health and returns err.
func (c *Client) note(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.failing = false
		return nil
	}
	c.lastErr, c.failing = err.Error(), true
	return err
}

// EntryID is the stable id of an item on the portal: a name-based (SHA-1,
// version 5) UUID of the item id as a urn:uuid, the same in the webhook and
// in the Atom feed, for every delivery of the item.
func EntryID(itemID string) string {
	// The namespace is a fixed random UUID of Lan Tỏa's portal entries.
	ns := [16]byte{0x6c, 0x61, 0x6e, 0x74, 0x6f, 0x61, 0x4f, 0x70, 0x91, 0x72, 0x74, 0x61, 0x6c, 0x2d, 0x76, 0x31}
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(itemID))
	u := h.Sum(nil)[:16]
	u[6] = (u[6] & 0x0f) | 0x50 // version 5
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	x := hex.EncodeToString(u)
	return "urn:uuid:" + x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// HTML is text as HTML: paragraphs (split on blank lines) in <p>, single
// line breaks as <br>, every character escaped, so that "<script>" and "&"
// stay text wherever the portal shows it. The text is NFC-normalised.
func HTML(text string) string {
	text = strings.ReplaceAll(norm.NFC.String(text), "\r\n", "\n")
	var b strings.Builder
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

// keyCtx carries the idempotency key from Publish to the transport.
type keyCtx struct{}

// idempotency adds the Idempotency-Key header of the request's context.
type idempotency struct{ next http.RoundTripper }

func (t idempotency) RoundTrip(r *http.Request) (*http.Response, error) {
	if k, _ := r.Context().Value(keyCtx{}).(string); k != "" {
		r = r.Clone(r.Context())
		r.Header.Set(IdempotencyHeader, k)
	}
	return t.next.RoundTrip(r)
}
