package stamps

import (
	"context"
	"fmt"
	"sync"
)

// Memo keeps one value per key, tagged with the stamp version read before
// the value was loaded (see the package comment for why before), and serves
// it to every caller asking for that version or an older one. Concurrent
// callers of a key share one load, so a bump under load costs one reload,
// not one per waiting request; callers waiting on a load that fails get its
// error, and the next caller loads again. At most Max keys are kept (0: no
// bound); when full, the memo starts over. Values are shared: callers must
// not modify them.
type Memo[V any] struct {
	Max int

	mu    sync.Mutex
	loads map[string]*memoLoad[V]
}

type memoLoad[V any] struct {
	version int64
	done    chan struct{}
	v       V
	err     error
}

// Get returns key's value loaded at version or later, calling load when no
// such value is held or being loaded.
func (m *Memo[V]) Get(key string, version int64, load func() (V, error)) (V, error) {
	m.mu.Lock()
	if l, ok := m.loads[key]; ok && l.version >= version {
		m.mu.Unlock()
		<-l.done
		return l.v, l.err
	}
	l := &memoLoad[V]{version: version, done: make(chan struct{})}
	if m.loads == nil || m.Max > 0 && len(m.loads) >= m.Max {
		m.loads = map[string]*memoLoad[V]{}
	}
	m.loads[key] = l
	m.mu.Unlock()

	l.v, l.err = load()
	if l.err != nil {
		m.mu.Lock()
		if m.loads[key] == l {
			delete(m.loads, key)
		}
		m.mu.Unlock()
	}
	close(l.done)
	return l.v, l.err
}

// Cached returns key's value from m as of the stamp's current version,
// calling load when m holds none that new. The stamp is read before load
// reads the data (see the package comment). load runs without ctx's
// cancellation: one caller hanging up must not fail the others waiting
// for the same load. Without stamps (s nil) every call loads.
func Cached[V any](ctx context.Context, s *Stamps, m *Memo[V], stamp, key string, load func(context.Context) (V, error)) (V, error) {
	if s == nil {
		return load(ctx)
	}
	version, err := s.Version(ctx, stamp)
	if err != nil {
		var zero V
		return zero, fmt.Errorf("reading the stamp %s: %w", stamp, err)
	}
	lctx := context.WithoutCancel(ctx)
	return m.Get(key, version, func() (V, error) { return load(lctx) })
}
