package rundown

import (
	"sync"

	"github.com/lantoa/lantoa/scheduler"
)

// maxCached bounds the cached rundowns (stations × days asked for); when
// full, the cache starts over.
const maxCached = 2048

// cache keeps rendered rundowns by commune|station|day, each tagged with
// the stamp version it was built under. Concurrent misses of one key share
// one build, so a stamp bump under load costs one rebuild, not one per
// waiting request.
type cache struct {
	mu       sync.Mutex
	entries  map[string]cached
	building map[string]*build
	days     map[string]*dayLoad // commune|day → the latest read of its deliveries
}

// dayLoad is one read of a commune's loudspeaker deliveries of a day, by
// station, tagged with the stamp version read before it; the builds of all
// the day's stations at that version share it.
type dayLoad struct {
	version   int64
	done      chan struct{}
	byStation map[string][]scheduler.Delivery
	err       error
}

// day returns the deliveries of key (commune|day) read at version or later,
// reading them with fn when no such read is done or under way. The lists
// are shared: callers must not modify them.
func (c *cache) day(key string, version int64, fn func() (map[string][]scheduler.Delivery, error)) (map[string][]scheduler.Delivery, error) {
	c.mu.Lock()
	if l, ok := c.days[key]; ok && l.version >= version {
		c.mu.Unlock()
		<-l.done
		if l.err == nil {
			return l.byStation, nil
		}
		c.mu.Lock() // a failed read is not shared with later callers: read again
	}
	l := &dayLoad{version: version, done: make(chan struct{})}
	if c.days == nil || len(c.days) >= maxCached {
		c.days = map[string]*dayLoad{}
	}
	c.days[key] = l
	c.mu.Unlock()
	l.byStation, l.err = fn()
	if l.err != nil {
		c.mu.Lock()
		if c.days[key] == l {
			delete(c.days, key)
		}
		c.mu.Unlock()
	}
	close(l.done)
	return l.byStation, l.err
}

type cached struct {
	view    *View
	version int64
}

// build is a rebuild in progress that other requests can wait for.
type build struct {
	version int64
	done    chan struct{}
	view    *View
	err     error
}

// get returns the view of key at version, building it with fn when the
// cache has none that recent.
func (c *cache) get(key string, version int64, fn func() (*View, error)) (*View, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.version >= version {
		c.mu.Unlock()
		return e.view, nil
	}
	if b, ok := c.building[key]; ok && b.version >= version {
		c.mu.Unlock()
		<-b.done
		return b.view, b.err
	}
	b := &build{version: version, done: make(chan struct{})}
	if c.building == nil {
		c.building = map[string]*build{}
	}
	c.building[key] = b
	c.mu.Unlock()

	b.view, b.err = fn()

	c.mu.Lock()
	if c.building[key] == b {
		delete(c.building, key)
	}
	if b.err == nil {
		if c.entries == nil || len(c.entries) >= maxCached {
			c.entries = map[string]cached{}
		}
		if e, ok := c.entries[key]; !ok || e.version <= version {
			c.entries[key] = cached{view: b.view, version: version}
		}
	}
	c.mu.Unlock()
	close(b.done)
	return b.view, b.err
}
