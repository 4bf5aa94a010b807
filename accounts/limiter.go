package accounts

import (
	"sync"
	"time"
)

// loginLimiter counts failed sign-ins per key (a username or an address) in a
// sliding window. It lives in memory: each replica limits on its own, which
// bounds guessing to replicas × max per window.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// allow reports whether every key is under the limit at now.
func (l *loginLimiter) allow(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if len(l.recent(now, k)) >= l.max {
			return false
		}
	}
	return true
}

// fail records a failure against every key.
func (l *loginLimiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.fails[k] = append(l.recent(now, k), now)
	}
	if len(l.fails) > 10000 { // bound memory under a spray of usernames
		for k := range l.fails {
			if len(l.recent(now, k)) == 0 {
				delete(l.fails, k)
			}
		}
	}
}

// reset forgets a key's failures after a successful sign-in.
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// recent returns the key's failures inside the window; l.mu must be held.
func (l *loginLimiter) recent(now time.Time, key string) []time.Time {
	f := l.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, key)
	}
	return f
}
