package facebook

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// graphError is the Graph API's error object (reference §A.4).
type graphError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	IsTransient bool   `json:"is_transient"`
	TraceID     string `json:"fbtrace_id"`
}

func (g graphError) code() string {
	if g.Subcode != 0 {
		return fmt.Sprintf("%d/%d", g.Code, g.Subcode)
	}
	return fmt.Sprint(g.Code)
}

// parseGraphError returns the error object of body, or nil when it has none.
// The HTTP status is not trusted: classification uses code and subcode.
func parseGraphError(body []byte) *graphError {
	var env struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil || env.Error.Code == 0 {
		return nil
	}
	return env.Error
}

// classOf maps a Graph error to what the dispatcher should do (reference
// §A.4 and the backoff recipe of §A.5).
func classOf(g graphError) publishers.Class {
	switch {
	case g.Code == 190 || g.Code == 102:
		return publishers.AuthInvalid
	case g.Code == 4 || g.Code == 17 || g.Code == 32 || g.Code == 613 || g.Code == 341:
		return publishers.Throttled
	case g.Code >= 80000 && g.Code <= 80099:
		// Business-use-case throttling: 80001 for Pages comes from 3p code
		// and the BUC docs' 800xx pattern [?].
		return publishers.Throttled
	case g.Code == 368:
		return publishers.Blocked
	case g.Code == 1 || g.Code == 2 || g.IsTransient:
		// After the throttle codes: those often say is_transient too.
		return publishers.Transient
	default:
		// 3, 10, 100, 200–299, 506 (duplicate), 1609005, 3001 … and codes
		// the reference does not list: retrying the same request cannot help.
		return publishers.Permanent
	}
}

// classify turns a Graph error into a *publishers.Error with the wait the
// platform asked for.
func (c *Client) classify(g graphError, u usageReading) *publishers.Error {
	msg := c.redact(g.Message)
	switch class := classOf(g); class {
	case publishers.AuthInvalid:
		return &publishers.Error{Class: class, Code: g.code(),
			Message: "reconnect the Facebook Page: the Page token was rejected (" + g.code() + "): " + msg}
	case publishers.Throttled:
		return c.throttled(g.code(), msg, u)
	case publishers.Blocked:
		return &publishers.Error{Class: class, Code: g.code(), RetryAfter: c.cfg.BlockedPause,
			Message: "Facebook temporarily blocked the Page for a policy reason; a person must check it: " + msg}
	case publishers.Permanent:
		if g.Code == 506 {
			msg = "duplicate post: Facebook refused the same content again: " + msg
		}
		return &publishers.Error{Class: class, Code: g.code(), Message: msg}
	default:
		return &publishers.Error{Class: class, Code: g.code(), Message: msg}
	}
}

// throttled builds a Throttled error waiting estimated_time_to_regain_access
// when a usage header gives it, else an exponential backoff.
func (c *Client) throttled(code, msg string, u usageReading) *publishers.Error {
	wait := time.Duration(u.regainMinutes) * time.Minute
	if wait <= 0 {
		c.mu.Lock()
		n := c.throttles
		c.mu.Unlock()
		wait = c.cfg.ThrottleBackoff
		for i := 0; i < n && wait < c.cfg.MaxThrottleBackoff; i++ {
			wait *= 2
		}
		wait = min(wait, c.cfg.MaxThrottleBackoff)
	}
	return &publishers.Error{Class: publishers.Throttled, Code: code, RetryAfter: wait,
		Message: "Facebook rate limit reached: " + msg}
}

// gate refuses a call without sending it (publishers.Standing.Gate):
// calls made while throttled still count.
func (c *Client) gate(ctx context.Context) error {
	c.mu.Lock()
	configured := c.token != "" && c.cfg.PageID != ""
	c.mu.Unlock()
	return c.standing.Gate(ctx, c.cfg.Now(), configured, "reconnect the Facebook Page: no Page id or token configured")
}

// fail records e in the channel's state and returns it.
func (c *Client) fail(e *publishers.Error) error {
	if e.Class == publishers.Throttled || e.Class == publishers.Blocked {
		c.mu.Lock()
		c.throttles++
		c.mu.Unlock()
	}
	return c.standing.Failed(e, c.cfg.Now())
}

func (c *Client) succeeded() {
	c.mu.Lock()
	c.throttles = 0
	c.mu.Unlock()
}
