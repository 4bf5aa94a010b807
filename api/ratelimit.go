package api

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Per-source limits of the public routes that reach the store, on each
// replica. Many phones of a village can share one address (a NAT, or a
// mobile carrier's CGNAT), so the limits are far above what people do and
// only stop floods:
//   - /q/:code: a burst of ScanBurst scans, then one every ScanEvery (60 a
//     minute): a meeting of a hundred people all scanning a leaflet at
//     once from one address passes; a scan costs up to four store
//     round trips, a flood from one address cannot queue thousands.
//   - /feed.atom: a burst of FeedBurst, then one every FeedEvery (30 a
//     minute): feed readers poll every few minutes, and a portal polling
//     the feeds of every commune of a province fits.
const (
	ScanBurst = 120
	ScanEvery = time.Second
	FeedBurst = 60
	FeedEvery = 2 * time.Second
	// MaxSources bounds the sources a limiter remembers: about 100 bytes
	// each, so a few megabytes whatever the traffic.
	MaxSources = 20_000
)

// overflowSource is the bucket shared by new sources while a limiter is
// full of sources that are all still limited (many addresses flooding at
// once): memory stays bounded, and they are limited together.
const overflowSource = "\x00overflow"

// sourceLimiter is a per-source rate limit (the generic cell rate
// algorithm: one "theoretical arrival time" per source) kept in memory. A
// source whose time has passed is at full burst, the same as a source never
// seen, so such entries are dropped when room is needed.
type sourceLimiter struct {
	every     time.Duration
	tolerance time.Duration // (burst-1) × every
	max       int
	now       func() time.Time

	mu     sync.Mutex
	tat    map[string]time.Time
	pruned time.Time
}

func newSourceLimiter(burst int, every time.Duration, max int, now func() time.Time) *sourceLimiter {
	return &sourceLimiter{every: every, tolerance: time.Duration(burst-1) * every, max: max, now: now,
		tat: map[string]time.Time{}}
}

// allow takes one request of source; when refused it says how long until
// one would pass.
func (l *sourceLimiter) allow(source string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	t, seen := l.tat[source]
	if !seen && len(l.tat) >= l.max {
		l.prune(now)
		if len(l.tat) >= l.max {
			source = overflowSource
			t = l.tat[source]
		}
	}
	if t.Before(now) {
		t = now
	}
	if wait := t.Sub(now) - l.tolerance; wait > 0 {
		return false, wait
	}
	l.tat[source] = t.Add(l.every)
	return true, 0
}

// prune drops the sources at full burst, at most once a second: under a
// flood of new addresses it would otherwise walk the whole map per request.
func (l *sourceLimiter) prune(now time.Time) {
	if now.Sub(l.pruned) < time.Second {
		return
	}
	l.pruned = now
	for k, t := range l.tat {
		if !t.After(now) {
			delete(l.tat, k)
		}
	}
}

// size is how many sources the limiter holds.
func (l *sourceLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.tat)
}

// limited runs h unless the caller's source is over l's limit, in which
// case it answers 429 in the error shape with Retry-After (whole seconds).
func limited(l *sourceLimiter, h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		ok, wait := l.allow(Source(c.ClientIP()))
		if !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			abort(c, http.StatusTooManyRequests, "rate_limited",
				"Quá nhiều yêu cầu từ địa chỉ này; vui lòng thử lại sau ít giây. (Too many requests from this address; try again in a few seconds.)")
			return
		}
		h(c)
	}
}

// Source is the key that rate limits and scan counting use for a client
// address: an IPv4 address as it is, an IPv6 address as its /64 (one
// subscriber's network, within which a device may change address at will).
func Source(ip string) string {
	a := net.ParseIP(ip)
	if a == nil {
		return ip
	}
	if a.To4() != nil {
		return a.String()
	}
	return (&net.IPNet{IP: a.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}
