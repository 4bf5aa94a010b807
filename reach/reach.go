// Package reach records what every channel reached and keeps rollups current
// as events arrive: raw events are stored once each (deterministic ids), and
// summary documents are updated with $inc so a dashboard reads a handful of
// documents instead of the raw events (the embedded store scans whole
// collections). Lifetime platform values arrive as snapshots: the latest per
// post counts, never the sum of snapshots.
package reach

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Metrics are the reach metrics of SPEC §5.
var Metrics = []string{"impressions", "reach", "engagements", "clicks", "views", "shares",
	"listeners", "airings", "copies", "scans", "attendance"}

// KnownMetric reports whether m is one of Metrics.
func KnownMetric(m string) bool { return slices.Contains(Metrics, m) }

// PrimaryMetric is the metric a channel's target is measured in.
var PrimaryMetric = map[string]string{
	"loudspeaker": "listeners", "facebook": "reach", "zalo": "views", "portal": "views",
	"print": "copies", "event": "attendance",
}

// Sources of events.
const (
	SourceAiring     = "airing"
	SourceScan       = "scan"
	SourceManual     = "manual"
	SourceCorrection = "correction"
	SourcePoll       = "poll"
)

// Event is one reach fact. Its ID is deterministic for events that could
// arrive twice (an airing confirmed twice is one event).
type Event struct {
	ID         string    `bson:"_id" json:"id"`
	CommuneID  string    `bson:"commune_id" json:"-"`
	CampaignID string    `bson:"campaign_id" json:"campaign_id"`
	ItemID     string    `bson:"item_id,omitempty" json:"item_id,omitempty"`
	Channel    string    `bson:"channel" json:"channel"`
	Metric     string    `bson:"metric" json:"metric"`
	Value      int64     `bson:"value" json:"value"`
	Village    string    `bson:"village,omitempty" json:"village,omitempty"`
	Day        string    `bson:"day" json:"date"`
	Source     string    `bson:"source" json:"source"`
	Reason     string    `bson:"reason,omitempty" json:"reason,omitempty"`
	Actor      string    `bson:"actor,omitempty" json:"actor,omitempty"`
	At         time.Time `bson:"at" json:"at"`
	Applied    bool      `bson:"applied" json:"-"`
}

// Service is the reach domain over its collections. It embeds the
// delivery outcome counters, which are built before it (NewCounters).
type Service struct {
	*Counters
	db       *mongo.Database
	events   *mongo.Collection
	pending  *mongo.Collection
	posts    *mongo.Collection
	notices  *mongo.Collection
	camps    Campaigns
	communes Communes
	stations Stations
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger

	// failWrite, set by tests only, is asked before each write of a
	// background job (rebuild, repair, snapshot) and fails it when it
	// returns an error: how the tests prove that a job that cannot write
	// leaves every summary as it was.
	failWrite func(coll string) error
}

// Campaigns is what reach reads of the campaigns domain
// (campaigns.Service): the campaigns and items figures belong to, their
// targets, and the audit log of corrections.
type Campaigns interface {
	GetCampaign(ctx context.Context, id string) (campaigns.Campaign, error)
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	ListCampaigns(ctx context.Context, from, to string) ([]campaigns.Campaign, error)
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Deps are what NewService needs.
type Deps struct {
	DB        *mongo.Database
	Campaigns Campaigns
	// Counters are the delivery outcome counters (NewCounters over DB
	// when nil).
	Counters *Counters
	// Communes and Stations give the reports the commune's name and
	// stations (ReportInput, CommuneRefs).
	Communes Communes
	Stations Stations
	Now      func() time.Time
	// Location is the commune's time zone: figures count on local dates.
	Location *time.Location
	Log      *slog.Logger
}

// NewService returns the reach service over d.DB.
func NewService(d Deps) *Service {
	if d.Counters == nil {
		d.Counters = NewCounters(d.DB, d.Now, d.Log)
	}
	return &Service{Counters: d.Counters, db: d.DB, events: d.DB.Collection("reach_events"),
		pending: d.DB.Collection("reach_pending"), posts: d.DB.Collection("reach_posts"),
		notices: d.DB.Collection("reach_notices"), camps: d.Campaigns, communes: d.Communes, stations: d.Stations, now: d.Now, loc: d.Location, log: d.Log}
}

// Indexes are the reach collections' indexes (for MongoDB; the embedded
// store reads by _id, see rollup.go).
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "reach_events", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "campaign_id", Value: 1}}}},
		{Collection: campaignsColl, Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}},
		{Collection: yearsColl, Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}},
		{Collection: "reach_pending", Model: mongo.IndexModel{Keys: bson.D{{Key: "at", Value: 1}}}},
		{Collection: "reach_outcomes", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}},
		{Collection: "reach_posts", Model: mongo.IndexModel{Keys: bson.D{{Key: "polled_at", Value: 1}}}},
	}
}

// beforeWrite is the test hook failWrite; nil in production.
func (s *Service) beforeWrite(coll string) error {
	if s.failWrite == nil {
		return nil
	}
	return s.failWrite(coll)
}
