package campaigns

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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

// communeItems returns the scope's items without their texts: from the
// calendar memo while the commune's items stamp has not moved, else read
// anew. The slice is shared: callers must not modify it or its items.
func (s *Service) communeItems(ctx context.Context) ([]Item, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	return stamps.Cached(ctx, s.stamps, &s.calendar, stamps.Items(sc.CommuneID), sc.CommuneID, s.readCommuneItems)
}

// readCommuneItems reads the scope's items without the fields the calendar
// does not show.
func (s *Service) readCommuneItems(ctx context.Context) ([]Item, error) {
	q, err := store.Scoped(ctx, bson.M{})
	if err != nil {
		return nil, err
	}
	cur, err := s.items.Find(ctx, q, options.Find().SetProjection(bson.M{"body": 0, "audiences": 0, "media_ids": 0, "reject_reason": 0}))
	if err != nil {
		return nil, fmt.Errorf("listing the items of the calendar: %w", err)
	}
	out := []Item{}
	return out, cur.All(ctx, &out)
}

// itemsChanged bumps the commune's items stamp after a write to one of its
// items, so that every replica's calendar reads them again.
func (s *Service) itemsChanged(ctx context.Context, commune string) {
	s.stamps.Bump(ctx, stamps.Items(commune))
}
