package campaigns

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// The calendar (its page, GET /api/v1/calendar and the .ics feed) needs
// every item of a range, and the embedded store decodes every item, texts
// included, for any filter but _id: with five years of a commune's items
// that was 200 ms a calendar page, most of it in the store. So the calendar
// filters, in memory, each commune's items without their texts, read once
// per version of the commune's items stamp (stamps.Items), which every write
// to an item bumps (itemsChanged). A change made through any replica shows
// within about a second, as for rundowns (see package stamps).

// itemIndex holds, per commune, its items as the calendar needs them.
type itemIndex struct {
	mu       sync.Mutex
	communes map[string]*itemLoad
}

// itemLoad is one read of a commune's items, tagged with the stamp version
// read before it; requests wanting that version wait for it.
type itemLoad struct {
	version int64
	done    chan struct{}
	items   []Item
	err     error
}

// calendarIndex returns the scope's items, without their texts, as recent
// as the commune's items stamp. The slice is shared: callers must not
// modify it or its items.
func (s *Service) calendarIndex(ctx context.Context) ([]Item, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	version, err := s.Stamps.Version(ctx, stamps.Items(sc.CommuneID))
	if err != nil {
		return nil, err
	}
	x := &s.calendar
	x.mu.Lock()
	if l, ok := x.communes[sc.CommuneID]; ok && l.version >= version {
		x.mu.Unlock()
		<-l.done
		if l.err == nil {
			return l.items, nil
		}
		x.mu.Lock() // a failed read is not kept: read again
	}
	l := &itemLoad{version: version, done: make(chan struct{})}
	if x.communes == nil {
		x.communes = map[string]*itemLoad{}
	}
	x.communes[sc.CommuneID] = l
	x.mu.Unlock()
	// One read serves every request waiting for it: one caller hanging up
	// must not fail the others.
	l.items, l.err = s.queryCalendarItems(context.WithoutCancel(ctx), bson.M{}, "")
	if l.err != nil {
		x.mu.Lock()
		if x.communes[sc.CommuneID] == l {
			delete(x.communes, sc.CommuneID)
		}
		x.mu.Unlock()
	}
	close(l.done)
	return l.items, l.err
}

// itemsChanged bumps the commune's items stamp after a write to one of its
// items, so that every replica's calendar reads them again.
func (s *Service) itemsChanged(ctx context.Context, commune string) {
	s.Stamps.Bump(ctx, stamps.Items(commune))
}
