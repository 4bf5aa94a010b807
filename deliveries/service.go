// Package deliveries owns the deliveries: one channel's (and, for a
// loudspeaker script, one station's) copy of one approved item at one
// moment. It holds their collections (the hot one, the archive and its
// monthly digests, the claims), their state machine, the claims that make
// every change exactly once across replicas, their materialising from an
// approved item, the airing and by-hand confirmations, the lists and the
// counts. Sending them is package dispatch's work, on top of this one.
//
// Its dependencies are given to New and none is set afterwards: the audit
// log, the outcome recorder (the reach counters) and the stamps. It sits
// below campaigns in the construction order (campaigns asks it to
// materialise and cancel), so it never asks campaigns for anything.
package deliveries

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Options tune the deliveries; zero values take the defaults.
type Options struct {
	// Owner names this replica in leases and claims (default: a random id).
	Owner string
	// Lease is how long a claim lasts without renewal (default 60 s).
	Lease time.Duration
	// Horizon is how far ahead recurrences are materialised (default 14 days).
	Horizon time.Duration
	// SkewMargin is how long past a lease's end another replica still waits
	// before taking the delivery over, so clocks that disagree by up to
	// two thirds of a lease plus this margin never cause a double send
	// (default 10 s).
	SkewMargin time.Duration
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
	if o.SkewMargin == 0 {
		o.SkewMargin = 10 * time.Second
	}
	return o
}

// Auditor is the audit log (campaigns.AuditLog).
type Auditor interface {
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Deps are what New needs.
type Deps struct {
	DB    *mongo.Database
	Audit Auditor
	// Outcomes, if set, is told of every delivery that ends (see
	// OutcomeRecorder).
	Outcomes OutcomeRecorder
	// ByHand names the channels a person publishes here (SPEC §6.2).
	ByHand []string
	// Stamps is bumped on every change to loudspeaker deliveries
	// (stamps.Rundowns) and to posts made by hand (stamps.ByHand), so that
	// what is cached against them is rebuilt on every replica.
	Stamps   *stamps.Stamps
	Now      func() time.Time
	Location *time.Location
	Log      *slog.Logger
}

// Service is the deliveries over their collections.
type Service struct {
	db       *mongo.Database
	hot      *mongo.Collection // deliveries: not yet archived
	archive  *mongo.Collection // deliveries_archive: finished two days and more
	claims   *mongo.Collection // delivery_claims: taken sequence numbers (claims.go)
	months   *mongo.Collection // deliveries_months: digests of the archive by month (archive_months.go)
	audit    Auditor
	outcomes OutcomeRecorder
	byHand   []string
	stamps   *stamps.Stamps
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger
	opt      Options

	settles settleQueue // outcomes waiting for their group commit (settle.go)

	due dueMemo // what the last due scan learned (due.go)

	// digestMu serialises this replica's digest writes; backfilled is set
	// once the archive's older deliveries are known to have digests.
	digestMu   sync.Mutex
	backfilled atomic.Bool
}

// New returns the deliveries service over d.DB.
func New(d Deps, o Options) *Service {
	return &Service{
		db: d.DB, hot: d.DB.Collection("deliveries"), archive: d.DB.Collection("deliveries_archive"),
		claims: d.DB.Collection("delivery_claims"), months: d.DB.Collection("deliveries_months"),
		audit: d.Audit, outcomes: d.Outcomes, byHand: slices.Clone(d.ByHand), stamps: d.Stamps,
		now: d.Now, loc: d.Location, log: d.Log, opt: o.withDefaults(),
	}
}

// Indexes are the deliveries collections' indexes.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "state", Value: 1}, {Key: "run_at", Value: 1}}}},
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "item_id", Value: 1}}}},
		{Collection: "deliveries", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "day", Value: 1}}}},
		{Collection: "delivery_claims", Model: mongo.IndexModel{Keys: bson.D{{Key: "delivery_id", Value: 1}}}},
		{Collection: "deliveries_archive", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}, {Key: "item_id", Value: 1}}}},
	}
}

// Now is the service's clock (dispatch shares it).
func (s *Service) Now() time.Time { return s.now() }

// Owner is this replica's name in leases and claims.
func (s *Service) Owner() string { return s.opt.Owner }

// Lease is how long a claim lasts without renewal.
func (s *Service) Lease() time.Duration { return s.opt.Lease }

// scoped returns ctx in the commune's scope, for system work on its records.
func scoped(ctx context.Context, commune string) context.Context {
	return store.WithScope(ctx, store.Scope{CommuneID: commune})
}
