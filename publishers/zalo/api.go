package zalo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/lantoa/lantoa/publishers"
)

// request is one OA API call.
type request struct {
	method      string
	path        string // e.g. "/v2.0/article/create"
	query       url.Values
	body        []byte
	contentType string
	mutation    bool // creates something: a lost answer is Unknown
}

// envelope is every OA API answer: HTTP 200 even on failure.
type envelope struct {
	Error   int             `json:"error"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

func isAuthError(code int) bool { return code == -216 || code == -124 }

// call sends r with a usable access token and decodes data into out. An
// answer saying the token is invalid or expired (-216, -124) makes it renew
// the token once (single-flight) and retry once. Every error is a
// *publishers.Error free of credentials, recorded in the channel's state.
func (c *Client) call(ctx context.Context, r request, out any) error {
	if err := c.gate(ctx); err != nil {
		return err
	}
	t, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	env, perr := c.send(ctx, r, t.AccessToken)
	if perr == nil && isAuthError(env.Error) {
		c.log.Info("zalo access token rejected; renewing", "code", env.Error)
		if t, err = c.renew(ctx, t.Version); err != nil {
			return err
		}
		env, perr = c.send(ctx, r, t.AccessToken)
	}
	if perr != nil {
		return c.fail(perr)
	}
	if env.Error != 0 {
		return c.fail(c.classify(env))
	}
	if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return c.fail(publishers.Undecodable(err, r.mutation, "Zalo", c.redact))
		}
	}
	return nil
}

// send makes one HTTP exchange and reads the envelope.
func (c *Client) send(ctx context.Context, r request, token string) (envelope, *publishers.Error) {
	target := c.api + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, bytes.NewReader(r.body))
	if err != nil {
		return envelope{}, &publishers.Error{Class: publishers.Permanent, Message: c.redact(err.Error())}
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("access_token", token)
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return envelope{}, publishers.TransportError(err, r.mutation, c.redact)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return envelope{}, publishers.TransportError(err, r.mutation, c.redact)
	}
	var env envelope
	decodeErr := json.Unmarshal(body, &env)
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || (decodeErr != nil && resp.StatusCode >= 300):
		return envelope{}, c.statusError(resp.StatusCode, r.mutation)
	case decodeErr != nil:
		return envelope{}, publishers.Undecodable(decodeErr, r.mutation, "Zalo", c.redact)
	}
	return env, nil
}

// statusError classifies an answer that is not an OA envelope, or a 5xx or
// 429 whatever its body (publishers.StatusClass).
func (c *Client) statusError(status int, mutation bool) *publishers.Error {
	code := fmt.Sprintf("http %d", status)
	switch class := publishers.StatusClass(status, mutation); class {
	case publishers.Throttled:
		return c.throttled(code, "Zalo rate limit")
	case publishers.Permanent:
		return publishers.Errorf(class, code, "Zalo refused the request")
	default:
		return publishers.Errorf(class, code, "Zalo server error")
	}
}

// classify maps an OA error code (reference §B.5; no official table [?]).
func (c *Client) classify(env envelope) *publishers.Error {
	code, msg := strconv.Itoa(env.Error), c.redact(env.Message)
	switch env.Error {
	case -216, -124:
		return &publishers.Error{Class: publishers.AuthInvalid, Code: code,
			Message: "reconnect the Zalo OA: the access token was refused after a refresh: " + msg}
	case -32:
		return c.throttled(code, "Zalo OA call limit reached: "+msg)
	case -200:
		return &publishers.Error{Class: publishers.Permanent, Code: code, Message: "Zalo could not fetch the article's images (Upload media failed): " + msg}
	case -201, -209, 404:
		return &publishers.Error{Class: publishers.Permanent, Code: code, Message: msg}
	default:
		// Codes no source documents: retried with backoff, which the
		// dispatcher caps, rather than killing the delivery on a guess.
		return &publishers.Error{Class: publishers.Transient, Code: code, Message: msg}
	}
}

func (c *Client) throttled(code, msg string) *publishers.Error {
	return &publishers.Error{Class: publishers.Throttled, Code: code, RetryAfter: c.cfg.ThrottleBackoff, Message: msg}
}

// gate refuses a call without sending it (publishers.Standing.Gate).
func (c *Client) gate(ctx context.Context) error {
	configured := c.cfg.AppID != "" && c.cfg.AppSecret != ""
	return c.standing.Gate(ctx, c.cfg.Now(), configured, "reconnect the Zalo OA: no app id or secret configured")
}

// fail records e in the channel's state and returns it.
func (c *Client) fail(e *publishers.Error) error { return c.standing.Failed(e, c.cfg.Now()) }

// redact removes every credential the client knows from s.
func (c *Client) redact(s string) string {
	c.mu.Lock()
	secrets := []string{c.tok.AccessToken, c.tok.RefreshToken, c.cfg.AppSecret, c.cfg.InitialRefreshToken}
	c.mu.Unlock()
	return publishers.Redact(s, secrets...)
}
