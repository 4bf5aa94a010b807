// Package stamps keeps version stamps: one tiny document per key in the
// collection `stamps`, bumped with $inc by every write that changes what an
// in-memory cache holds. Caches on every replica read the stamp (at most
// once per maxAge, one _id lookup) before serving, so a change made through
// any replica is seen everywhere within about a second, without change
// streams (the embedded store has none) and without a long TTL.
//
// The rule that makes it correct: a writer bumps after its write, and a
// cache reads the stamp before it reads the data it caches. A cached value
// tagged with stamp v was then built from data at least as new as v, and any
// later write moves the stamp past v.
package stamps

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// DefaultMaxAge is how long a stamp read from the store is trusted.
const DefaultMaxAge = time.Second

// Rundowns is the key of a commune's loudspeaker rundowns: its loudspeaker
// deliveries (materialised, cancelled, confirmed, skipped, missed), the
// scripts they read and its stations.
func Rundowns(commune string) string { return "rundowns|" + commune }

// ByHand is the key of a commune's posts to make by hand: every change to
// one (handed over, posted, skipped, missed) bumps it.
func ByHand(commune string) string { return "byhand|" + commune }

// Items is the key of a commune's content items as the calendar shows them
// (titles, kinds, channels, schedules, statuses).
func Items(commune string) string { return "items|" + commune }

// Campaigns is the key of a commune's campaigns (every field): each
// create, update and seed bumps it.
func Campaigns(commune string) string { return "campaigns|" + commune }

// StationTokens is the key of every station device token of the
// installation (one key: revocations are rare, and a token's commune is not
// known before it is read).
const StationTokens = "station-tokens"

// Due is the key of the deliveries that may fall due, installation-wide
// (the dispatcher's due scan reads every commune's): bumped by every write
// that puts a delivery in line to be sent that a replica's last scan
// cannot have foreseen — materialising, requeueing, a person's retry, an
// outcome that leaves a delivery waiting (see deliveries.Service.DueWithin).
const Due = "deliveries-due"

// Stamps reads and bumps version stamps. A nil *Stamps bumps nothing and
// reports version 0, so packages can be used without one.
type Stamps struct {
	col    *mongo.Collection
	log    *slog.Logger
	maxAge time.Duration

	mu    sync.Mutex
	known map[string]*seen
}

// seen is the last version read of one key.
type seen struct {
	v          int64
	at         time.Time
	stale      bool // bumped here since: read again before trusting
	refreshing bool
}

// New returns the stamps over db, read from the store at most once per
// DefaultMaxAge.
func New(db *mongo.Database, log *slog.Logger) *Stamps { return NewMaxAge(db, DefaultMaxAge, log) }

// NewMaxAge returns the stamps over db, read from the store at most once
// per maxAge: how stale a version may be. It is measured on the machine's
// own clock, not the service's injectable one, since it is about
// freshness, not dates.
func NewMaxAge(db *mongo.Database, maxAge time.Duration, log *slog.Logger) *Stamps {
	return &Stamps{col: db.Collection("stamps"), log: log, maxAge: maxAge, known: map[string]*seen{}}
}

// Bump moves key's stamp forward. A failure is logged, not returned: the
// change it announces is already made, and caches catch up at the next bump.
func (s *Stamps) Bump(ctx context.Context, key string) {
	if s == nil {
		return
	}
	if err := bump(context.WithoutCancel(ctx), s.col, key); err != nil {
		s.log.Error("bumping version stamp", "key", key, "err", err)
	}
	s.mu.Lock()
	if e := s.known[key]; e != nil {
		e.stale = true
	}
	s.mu.Unlock()
}

// BumpAll moves every stamp in db forward: `lantoa import` calls it after
// writing, since a merge into a database that replicas are serving adds
// campaigns, items or deliveries without the bumps their writers make, and
// the archive's stamps do not replace those already there.
func BumpAll(ctx context.Context, db *mongo.Database) error {
	col := db.Collection("stamps")
	if _, err := col.UpdateMany(ctx, bson.M{"_id": bson.M{"$ne": Due}}, bumped()); err != nil {
		return fmt.Errorf("moving the version stamps forward: %w", err)
	}
	// The due stamp is moved even when no write has made it yet (a
	// database from before it): replicas remember their last due scan
	// until it moves.
	if err := bump(ctx, col, Due); err != nil {
		return fmt.Errorf("moving the version stamps forward: %w", err)
	}
	return nil
}

// bumped is the update that moves a stamp forward.
func bumped() bson.M {
	return bson.M{"$inc": bson.M{"v": int64(1)}, "$set": bson.M{"at": time.Now().UTC()}}
}

// bump moves key's stamp in col forward, making it if it is missing.
func bump(ctx context.Context, col *mongo.Collection, key string) error {
	up := options.UpdateOne().SetUpsert(true)
	_, err := col.UpdateOne(ctx, bson.M{"_id": key}, bumped(), up)
	if store.IsDuplicateKey(err) { // two first upserts raced on MongoDB; the loser retries
		_, err = col.UpdateOne(ctx, bson.M{"_id": key}, bumped(), up)
	}
	return err
}

// Version returns key's stamp, read from the store at most once per maxAge
// (and at once after a Bump through this Stamps). While one caller reads it,
// others get the previous value rather than wait.
func (s *Stamps) Version(ctx context.Context, key string) (int64, error) {
	if s == nil {
		return 0, nil
	}
	s.mu.Lock()
	e := s.known[key]
	if e == nil {
		e = &seen{}
		s.known[key] = e
	} else if !e.stale && (time.Since(e.at) < s.maxAge || e.refreshing) && !e.at.IsZero() {
		v := e.v
		s.mu.Unlock()
		return v, nil
	}
	e.refreshing = true
	e.stale = false
	s.mu.Unlock()

	v, err := s.read(ctx, key)

	s.mu.Lock()
	defer s.mu.Unlock()
	e.refreshing = false
	if err != nil {
		e.at = time.Time{} // the next caller tries again
		return 0, err
	}
	e.v, e.at = v, time.Now()
	return v, nil
}

func (s *Stamps) read(ctx context.Context, key string) (int64, error) {
	var doc struct {
		V int64 `bson:"v"`
	}
	err := s.col.FindOne(ctx, bson.M{"_id": key}).Decode(&doc)
	if store.IsNoDocuments(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading version stamp %s: %w", key, err)
	}
	return doc.V, nil
}
