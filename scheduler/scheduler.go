package scheduler

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Options tune the scheduler; zero values take the defaults.
type Options struct {
	// Owner names this replica in leases (default: a random id).
	Owner string
	// Lease is how long a claim lasts without renewal (default 60 s).
	Lease time.Duration
	// Horizon is how far ahead recurrences are materialised (default 14 days).
	Horizon time.Duration
	// Grace is the misfire window per channel (defaults: loudspeaker 30 min,
	// facebook, zalo, portal 6 h, print and event 24 h).
	Grace map[string]time.Duration
	// Concurrency bounds sends in flight per channel (default 4).
	Concurrency int
	// MaxAttempts before a transient failure is given up as dead (default 8).
	MaxAttempts int
	// PublishTimeout bounds one publish call (default 2 min).
	PublishTimeout time.Duration
	// SkewMargin is how long past a lease's end another replica still waits
	// before taking the delivery over, so clocks that disagree by up to
	// two thirds of a lease plus this margin never cause a double send
	// (default 10 s).
	SkewMargin time.Duration
}

// ItemSource gives the dispatcher the current item of a delivery (and
// Browse the start of an item's or a campaign's deliveries).
type ItemSource interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	GetCampaign(ctx context.Context, id string) (campaigns.Campaign, error)
	ApprovedItems(ctx context.Context, day string) ([]campaigns.Item, error)
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Observer is told of every publish call: its channel, how long it took and
// the error class ("" on success). Metrics implement it.
type Observer interface {
	Published(channel string, d time.Duration, class string)
}

// ContentSource turns an item into what is sent on a channel (texts, and the
// images of its media); the default sends the texts only.
type ContentSource func(ctx context.Context, it campaigns.Item, channel string) (publishers.Content, error)

// Scheduler materialises deliveries and dispatches them.
type Scheduler struct {
	db       *mongo.Database
	hot      *mongo.Collection
	archive  *mongo.Collection
	channels *mongo.Collection
	claims   *mongo.Collection
	months   *mongo.Collection // digests of the archive by month (archive_months.go)
	items    ItemSource
	content  ContentSource
	observer Observer
	outcomes OutcomeRecorder
	pubs     map[string]publishers.Publisher
	fallback func(channel string) publishers.Publisher
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger
	opt      Options
	stamps   *stamps.Stamps

	mu       sync.Mutex
	sems     map[string]chan struct{}
	paused   map[string]time.Time // channels this replica paused, by commune|channel
	inflight sync.WaitGroup
	stopping chan struct{}
	stopOnce sync.Once
	// digestMu serialises this replica's digest writes; backfilled is set
	// once the archive's older deliveries are known to have digests.
	digestMu   sync.Mutex
	backfilled atomic.Bool
}

// Deps are what New needs.
type Deps struct {
	DB      *mongo.Database
	Items   ItemSource
	Content ContentSource
	// Publishers by channel; a channel without one uses Fallback (the outbox).
	Publishers map[string]publishers.Publisher
	Fallback   func(channel string) publishers.Publisher
	Now        func() time.Time
	Location   *time.Location
	Log        *slog.Logger
	// Stamps, when set, is bumped on every change to loudspeaker deliveries
	// (stamps.Rundowns), so that cached rundowns are rebuilt on every replica.
	Stamps *stamps.Stamps
	// Observer, if set, is told of every publish call.
	Observer Observer
	// Outcomes, if set, is told of every delivery the dispatcher or an
	// airing report ends, at once (see OutcomeRecorder).
	Outcomes OutcomeRecorder
}

// New returns a scheduler; it does nothing until its jobs are scheduled on a
// Clock (Schedule) or its methods are called.
func New(d Deps, o Options) *Scheduler {
	o = o.withDefaults()
	if d.Content == nil {
		d.Content = TextContent
	}
	return &Scheduler{
		db: d.DB, hot: d.DB.Collection("deliveries"), archive: d.DB.Collection("deliveries_archive"),
		channels: d.DB.Collection("channel_state"), claims: d.DB.Collection("delivery_claims"),
		months: d.DB.Collection("deliveries_months"), items: d.Items, content: d.Content,
		observer: d.Observer, outcomes: d.Outcomes, pubs: d.Publishers, fallback: d.Fallback, now: d.Now, loc: d.Location, log: d.Log, opt: o, stamps: d.Stamps,
		sems: map[string]chan struct{}{}, paused: map[string]time.Time{}, stopping: make(chan struct{}),
	}
}

// Indexes are the scheduler's collections' indexes.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "state", Value: 1}, {Key: "run_at", Value: 1}}}},
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "item_id", Value: 1}}}},
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "day", Value: 1}}}},
		{Collection: "delivery_claims", Model: mongo.IndexModel{Keys: bson.D{{Key: "delivery_id", Value: 1}}}},
		{Collection: "deliveries_archive", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "item_id", Value: 1}}}},
	}
}

func (o Options) withDefaults() Options {
	if o.Owner == "" {
		o.Owner = bson.NewObjectID().Hex()
	}
	if o.Lease == 0 {
		o.Lease = 60 * time.Second
	}
	if o.Horizon == 0 {
		o.Horizon = 14 * 24 * time.Hour
	}
	grace := map[string]time.Duration{"loudspeaker": 30 * time.Minute, "facebook": 6 * time.Hour,
		"zalo": 6 * time.Hour, "portal": 6 * time.Hour, "print": 24 * time.Hour, "event": 24 * time.Hour}
	for k, v := range o.Grace {
		grace[k] = v
	}
	o.Grace = grace
	if o.Concurrency == 0 {
		o.Concurrency = 4
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 8
	}
	if o.SkewMargin == 0 {
		o.SkewMargin = 10 * time.Second
	}
	if o.PublishTimeout == 0 {
		o.PublishTimeout = 2 * time.Minute
	}
	return o
}

// TextContent sends an item's title, body and link.
func TextContent(_ context.Context, it campaigns.Item, _ string) (publishers.Content, error) {
	return publishers.Content{Kind: it.Kind, Title: it.Title, Body: it.Body, Link: it.Link}, nil
}

// publisher returns the channel's publisher, or the fallback.
func (s *Scheduler) publisher(channel string) publishers.Publisher {
	if p, ok := s.pubs[channel]; ok {
		return p
	}
	return s.fallback(channel)
}

// scoped returns ctx in the commune's scope, for system work on its records.
func scoped(ctx context.Context, commune string) context.Context {
	return store.WithScope(ctx, store.Scope{CommuneID: commune})
}
