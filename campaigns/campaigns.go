// Package campaigns owns the programme's calendar: observances, campaigns,
// (later) content items and their schedules, the approval workflow, the
// calendar and its iCalendar feed, and the audit log. Every query is scoped
// to a commune through store.Scope.
package campaigns

import (
	"context"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// DateLayout is the layout of every date in the API: local calendar dates.
const DateLayout = "2006-01-02"

// Service is the campaigns domain over its collections.
type Service struct {
	observances *mongo.Collection
	campaigns   *mongo.Collection
	audit       *mongo.Collection
	items       *mongo.Collection
	// Stations checks that scripts name existing stations.
	Stations StationChecker
	// Deliveries materialises and cancels an item's deliveries; the
	// scheduler implements it.
	Deliveries Deliveries
	now        func() time.Time
	loc        *time.Location
	log        *slog.Logger

	// Stamps, when set, is bumped when a script changes (stamps.Rundowns),
	// so that cached loudspeaker rundowns are rebuilt on every replica.
	Stamps *stamps.Stamps

	// Media, when set, checks items' photos and leaflets (media_hooks.go);
	// the media service implements it.
	Media MediaChecker

	calendar stamps.Memo[[]Item] // the calendar's items per commune (calendar_items.go)
}

// NewService returns the campaigns service over db. Dates are interpreted in
// loc, the commune's time zone.
func NewService(db *mongo.Database, now func() time.Time, loc *time.Location, log *slog.Logger) *Service {
	return &Service{
		observances: db.Collection("observances"),
		campaigns:   db.Collection("campaigns"),
		audit:       db.Collection("audit"),
		items:       db.Collection("items"),
		now:         now,
		loc:         loc,
		log:         log,
	}
}

// Indexes are the campaigns collections' indexes.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "campaigns", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "start", Value: 1}}}},
		{Collection: "items", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "campaign_id", Value: 1}}}},
		{Collection: "items", Model: mongo.IndexModel{Keys: bson.D{{Key: "status", Value: 1}}}},
		{Collection: "audit", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "at", Value: -1}}}},
		{Collection: "audit", Model: mongo.IndexModel{Keys: bson.D{{Key: "campaign_id", Value: 1}}}},
	}
}

// StationChecker reports which of the given station ids do not exist in the
// caller's commune.
type StationChecker interface {
	Missing(ctx context.Context, ids []string) ([]string, error)
}

// Deliveries is what the workflow needs from the scheduler.
type Deliveries interface {
	// Materialize writes the item's deliveries for its schedule (idempotent).
	Materialize(ctx context.Context, it Item) (int, error)
	// CancelPending cancels the item's deliveries that have not gone out.
	CancelPending(ctx context.Context, itemID string) (int, error)
	// HasAny reports whether the item has any delivery, finished or not.
	HasAny(ctx context.Context, itemID string) (bool, error)
}

// today is the commune's current calendar date.
func (s *Service) today() string { return s.now().In(s.loc).Format(DateLayout) }
