package audio

import (
	"context"
	"sync"
	"time"
)

// ReplayGuard remembers which callbacks were accepted, so that a replayed
// one is refused. Claim reports true the first time it sees key and false
// every later time; it must be atomic across concurrent callers. A guard
// kept in the store (an insert of {_id: key} that fails as a duplicate the
// second time) survives restarts and serves several replicas;
// MemoryGuard serves one process.
type ReplayGuard interface {
	Claim(ctx context.Context, key string) (bool, error)
}

// MemoryGuard is a ReplayGuard in memory that forgets a key ttl after its
// claim (after that the provider's own record of the request has expired
// too: Vbee keeps audio three days).
type MemoryGuard struct {
	now  func() time.Time
	ttl  time.Duration
	mu   sync.Mutex
	seen map[string]time.Time
}

// NewMemoryGuard returns an empty guard reading time from now.
func NewMemoryGuard(now func() time.Time, ttl time.Duration) *MemoryGuard {
	return &MemoryGuard{now: now, ttl: ttl, seen: map[string]time.Time{}}
}

// Claim implements ReplayGuard.
func (g *MemoryGuard) Claim(_ context.Context, key string) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if at, ok := g.seen[key]; ok && now.Sub(at) < g.ttl {
		return false, nil
	}
	if len(g.seen) >= 1024 {
		for k, at := range g.seen {
			if now.Sub(at) >= g.ttl {
				delete(g.seen, k)
			}
		}
	}
	g.seen[key] = now
	return true, nil
}
