package accounts

import (
	"sync"
	"time"
)

// loginLimiter counts failed sign-ins per key in a sliding window: the
// source address ("a:<addr>", many people of one office or village may
// share it behind one router, so its limit is generous) and the source and
// username together ("p:<addr>|<user>"); a signed-in user's wrong current
// password when changing it counts under "c:<user id>", with the pair's
// limit, so a stolen session cannot guess it quickly. There is deliberately no key of
// the username alone: that would let anyone lock a user out by failing on
// purpose. It lives in memory: each replica limits on its own, which bounds
// guessing to replicas × max per window.
type loginLimiter struct {
	mu     sync.Mutex
	max    map[byte]int // per key kind: 'a' source, 'p' source × user, 'c' current password
	window time.Duration
	fails  map[string][]time.Time
}

func newLoginLimiter(perPair, perSource int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: map[byte]int{'p': perPair, 'a': perSource, 'c': perPair}, window: window, fails: map[string][]time.Time{}}
}

// wait returns how long until every key is under its limit at now (0: now).
func (l *loginLimiter) wait(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		f := l.recent(now, k)
		if limit := l.max[k[0]]; limit > 0 && len(f) >= limit {
			// allowed again when the oldest failure that keeps it at the
			// limit leaves the window
			longest = max(longest, f[len(f)-limit].Add(l.window).Sub(now))
		}
	}
	return longest
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
