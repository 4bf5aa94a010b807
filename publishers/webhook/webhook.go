// Package webhook sends signed JSON webhooks (the commune portal, the
// loudspeaker push adapter) and verifies them. The signature header is
//
//	X-LanToa-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed by the shared secret>
//
// Failures are *publishers.Error, classified by the publishers' one rule
// (publishers.TransportClass, publishers.StatusClass): a refused connection,
// 408 and 5xx are Transient; a timeout after sending and a gateway's 504
// are Unknown (the receiver may have acted: receivers must be idempotent);
// 429 is Throttled with Retry-After; other 4xx and redirects are Permanent.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// SignatureHeader is the header carrying the body's signature.
const SignatureHeader = "X-LanToa-Signature"

// DefaultTimeout bounds one delivery when the Client has no Timeout.
const DefaultTimeout = 10 * time.Second

// Client posts signed webhooks. The zero value is ready to use.
type Client struct {
	// HTTP sends the requests; nil means a client that does not follow
	// redirects (a redirected POST would silently become a GET).
	HTTP *http.Client
	// Timeout bounds each Post (default DefaultTimeout).
	Timeout time.Duration
	// Now reads the clock for Retry-After dates (default time.Now).
	Now func() time.Time
	// UserAgent is sent as User-Agent (default "LanToa-Webhook/1").
	UserAgent string
}

// Sign returns the SignatureHeader value for body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports, in constant time, whether header is the signature of
// body under secret. An empty secret never verifies.
func Verify(secret string, body []byte, header string) bool {
	if secret == "" {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, body)), []byte(strings.TrimSpace(header)))
}

// Post sends body to url with a zero-value Client.
func Post(ctx context.Context, url, secret string, body []byte) error {
	return (&Client{}).Post(ctx, url, secret, body)
}

// Post sends body as application/json to target, signed with secret. It
// returns nil on any 2xx answer, otherwise a *publishers.Error whose message
// names the host but never the URL's query, user info or the secret.
func (c *Client) Post(ctx context.Context, target, secret string, body []byte) error {
	if secret == "" {
		return publishers.Errorf(publishers.Permanent, "", "webhook secret is not configured")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return publishers.Errorf(publishers.Permanent, "", "webhook URL is not usable: %s", publishers.SafeURL(target))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(secret, body))
	req.Header.Set("User-Agent", orDefault(c.UserAgent, "LanToa-Webhook/1"))
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return transportError(err, target)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return c.statusError(resp, target)
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// statusError classifies a non-2xx answer (publishers.StatusClass: every
// webhook is a mutation, so a gateway's 504 is Unknown).
func (c *Client) statusError(resp *http.Response, target string) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	where := publishers.SafeURL(target)
	e := &publishers.Error{Class: publishers.StatusClass(code, true), Code: strconv.Itoa(code),
		Message: fmt.Sprintf("webhook receiver failed with HTTP %d: %s", code, where)}
	switch e.Class {
	case publishers.Throttled:
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now())
		e.Message = "webhook receiver asked to slow down: " + where
	case publishers.Permanent:
		e.Message = fmt.Sprintf("webhook receiver refused with HTTP %d: %s", code, where)
	}
	return e
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError classifies a failure to get an answer
// (publishers.TransportClass): not sent is Transient, anything else
// Unknown. The message names the receiver by publishers.SafeURL only: the
// error's own URL may carry credentials.
func transportError(err error, target string) error {
	class := publishers.TransportClass(err, true)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &publishers.Error{Class: class, Err: err,
		Message: fmt.Sprintf("webhook to %s failed: %v", publishers.SafeURL(target), err)}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
