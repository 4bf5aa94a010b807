package deliveries

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// SentFilter selects sent deliveries, for reach polling and the portal
// feed. Channels is required.
type SentFilter struct {
	Channels []string
	// From and To bound sent_at: From ≤ sent_at < To; zero is open.
	From, To time.Time
	// WithExternalID keeps only deliveries the platform gave an id (posts
	// that can be polled); outbox receipts ("outbox:…") are left out.
	WithExternalID bool
	// Limit bounds the result (default and maximum MaxList).
	Limit int
	// AllCommunes reads every commune's deliveries, for the clock's system
	// jobs; otherwise the context's commune scope is required.
	AllCommunes bool
}

// sentFields is what Sent reads of a delivery.
var sentFields = bson.M{"commune_id": 1, "item_id": 1, "item_version": 1, "campaign_id": 1, "kind": 1, "title": 1,
	"channel": 1, "due_at": 1, "state": 1, "external_id": 1, "url": 1, "sent_at": 1}

// Sent returns sent deliveries matching f, newest sent first, from the hot
// collection and the archive alike (finished deliveries move there after
// ArchiveAfter). Each collection is read with one query sorted and limited
// on sent_at; on the embedded store that is one scan of each, so callers
// run it from the clock or behind a cache, not per page view.
func (s *Service) Sent(ctx context.Context, f SentFilter) ([]Delivery, error) {
	if len(f.Channels) == 0 {
		return nil, fmt.Errorf("deliveries.Sent: no channel given")
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxList {
		limit = MaxList
	}
	cond := bson.M{"state": StateSent, "channel": bson.M{"$in": f.Channels}}
	at := bson.M{}
	if !f.From.IsZero() {
		at["$gte"] = f.From.UTC()
	}
	if !f.To.IsZero() {
		at["$lt"] = f.To.UTC()
	}
	if len(at) > 0 {
		cond["sent_at"] = at
	}
	if !f.AllCommunes {
		scoped, err := store.Scoped(ctx, cond)
		if err != nil {
			return nil, err
		}
		cond = scoped
	}
	seen := map[string]bool{}
	var out []Delivery
	for _, c := range []*mongo.Collection{s.hot, s.archive} {
		cur, err := c.Find(ctx, cond, options.Find().SetSort(bson.D{{Key: "sent_at", Value: -1}}).SetLimit(int64(limit)).SetProjection(sentFields))
		if err != nil {
			return nil, fmt.Errorf("listing sent deliveries: %w", err)
		}
		var list []Delivery
		if err := cur.All(ctx, &list); err != nil {
			return nil, fmt.Errorf("listing sent deliveries: %w", err)
		}
		for _, d := range list {
			if f.WithExternalID && (d.ExternalID == "" || strings.HasPrefix(d.ExternalID, "outbox:")) {
				continue // filtered in Go to keep the query plain
			}
			// Archiving copies before it deletes: a delivery can be in both.
			if !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, func(a, b Delivery) int { return sentAt(b).Compare(sentAt(a)) })
	return out[:min(len(out), limit)], nil
}

func sentAt(d Delivery) time.Time {
	if d.SentAt == nil {
		return time.Time{}
	}
	return *d.SentAt
}
