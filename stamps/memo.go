package stamps

import "sync"

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
