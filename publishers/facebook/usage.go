package facebook

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"time"
)

// usageReading is what the rate-limit headers of one answer say.
type usageReading struct {
	found         bool
	pct           int // max of call_count, total_cputime, total_time over all headers
	regainMinutes int // max estimated_time_to_regain_access, in minutes
}

// usageFields are the percentages of X-App-Usage, X-Page-Usage and each
// entry of X-Business-Use-Case-Usage (reference §A.5).
type usageFields struct {
	CallCount     float64 `json:"call_count"`
	TotalCPUTime  float64 `json:"total_cputime"`
	TotalTime     float64 `json:"total_time"`
	RegainMinutes float64 `json:"estimated_time_to_regain_access"`
}

// readUsage parses the three usage headers; malformed ones are ignored.
func readUsage(h http.Header) usageReading {
	var r usageReading
	note := func(f usageFields) {
		r.found = true
		p := math.Max(f.CallCount, math.Max(f.TotalCPUTime, f.TotalTime))
		r.pct = max(r.pct, int(math.Ceil(p)))
		r.regainMinutes = max(r.regainMinutes, int(math.Ceil(f.RegainMinutes)))
	}
	for _, name := range []string{"X-App-Usage", "X-Page-Usage"} {
		var f usageFields
		if v := h.Get(name); v != "" && json.Unmarshal([]byte(v), &f) == nil {
			note(f)
		}
	}
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var buc map[string][]usageFields
		if json.Unmarshal([]byte(v), &buc) == nil {
			for _, entries := range buc {
				for _, f := range entries {
					note(f)
				}
			}
		}
	}
	return r
}

// noteUsage keeps the latest reported usage (usage decays, so the latest
// reading, not the highest ever, is what matters).
func (c *Client) noteUsage(r usageReading) {
	if !r.found {
		return
	}
	c.mu.Lock()
	p := r.pct
	c.usage = &p
	c.mu.Unlock()
}

// slowDown waits before a call in proportion to how far the last reported
// usage is above SlowAbove: SlowStep per percent, at most MaxSlowdown.
func (c *Client) slowDown(ctx context.Context) error {
	if d := c.slowDelay(); d > 0 {
		c.log.Debug("facebook usage high, slowing down", "delay", d.String())
		return c.cfg.Sleep(ctx, d)
	}
	return nil
}

func (c *Client) slowDelay() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.usage == nil || *c.usage <= c.cfg.SlowAbove {
		return 0
	}
	d := time.Duration(*c.usage-c.cfg.SlowAbove) * c.cfg.SlowStep
	return min(d, c.cfg.MaxSlowdown)
}
