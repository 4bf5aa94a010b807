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
	items       *mongo.Collection
	audit       *AuditLog
	stations    StationChecker
	deliveries  Deliveries
	media       MediaChecker
	stamps      *stamps.Stamps
	now         func() time.Time
	loc         *time.Location
	log         *slog.Logger

	calendar stamps.Memo[[]Item]     // the calendar's items per commune (calendar_items.go)
	camps    stamps.Memo[[]Campaign] // every campaign per commune (campaign_list.go)
}

// Deps are what NewService needs; every one but DB, Now, Location and Log
// may be left nil where a test does without it.
type Deps struct {
	DB *mongo.Database
	// Audit is the audit log (NewAuditLog over DB when nil).
	Audit *AuditLog
	// Stations checks that scripts name existing stations.
	Stations StationChecker
	// Deliveries materialises and cancels an item's deliveries
	// (deliveries.Service).
	Deliveries Deliveries
	// Media checks items' photos and leaflets (media_hooks.go;
	// media.Library).
	Media MediaChecker
	// Stamps is bumped when a campaign, an item or a script changes
	// (stamps.Campaigns, stamps.Items, stamps.Rundowns), so that cached
	// campaign lists, calendars and rundowns are rebuilt on every replica.
	Stamps *stamps.Stamps
	Now    func() time.Time
	// Location is the commune's time zone: dates are read in it.
	Location *time.Location
	Log      *slog.Logger
}

// NewService returns the campaigns service over d.DB.
func NewService(d Deps) *Service {
	if d.Audit == nil {
		d.Audit = NewAuditLog(d.DB, d.Now, d.Log)
	}
	return &Service{
		observances: d.DB.Collection("observances"),
		campaigns:   d.DB.Collection("campaigns"),
		items:       d.DB.Collection("items"),
		audit:       d.Audit,
		stations:    d.Stations,
		deliveries:  d.Deliveries,
		media:       d.Media,
		stamps:      d.Stamps,
		now:         d.Now,
		loc:         d.Location,
		log:         d.Log,
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

// Deliveries is what the workflow needs of the deliveries
// (deliveries.Service).
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
