package reach

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
)

// pendingMark says an event is being recorded. Record writes it before the
// event and removes it once the digests are updated, so a crash in between
// leaves it behind for Repair, which then scans this tiny collection instead
// of every raw event (200,000 of them take seconds to scan on the embedded
// store, and the scan would hold its one connection).
type pendingMark struct {
	ID        string    `bson:"_id"`
	CommuneID string    `bson:"commune_id"`
	At        time.Time `bson:"at"`
}

// Record stores each event once and adds it to the digests. An event whose
// id is already stored is skipped: recording twice counts once. It returns
// how many events were new. An event with a malformed day is refused with an
// apperr.ValidationError before anything is stored.
func (s *Service) Record(ctx context.Context, events ...Event) (int, error) {
	for _, e := range events {
		if !validDay(e.Day) {
			return 0, apperr.Invalid("date", "reach event %s has no valid day (%q)", e.ID, e.Day)
		}
	}
	n := 0
	for _, e := range events {
		added, err := s.recordOne(ctx, e)
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	return n, nil
}

func (s *Service) recordOne(ctx context.Context, e Event) (bool, error) {
	now := s.now().UTC()
	if e.At.IsZero() {
		e.At = now
	}
	e.Applied = true // a crash before the digests are updated leaves the pending mark
	_, err := s.pending.InsertOne(ctx, pendingMark{ID: e.ID, CommuneID: e.CommuneID, At: now})
	ours := err == nil
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("marking reach event pending: %w", err)
	}
	if _, err := s.events.InsertOne(ctx, e); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			// Recorded before. A mark we did not write belongs to an earlier
			// attempt that may have crashed: Repair settles it.
			if ours {
				_, _ = s.pending.DeleteOne(ctx, bson.M{"_id": e.ID})
			}
			return false, nil
		}
		return false, fmt.Errorf("storing reach event: %w", err)
	}
	if err := s.apply(ctx, e, e.Value); err != nil {
		s.unrecord(ctx, e)
		return false, err
	}
	if _, err := s.pending.DeleteOne(ctx, bson.M{"_id": e.ID}); err != nil {
		return true, fmt.Errorf("clearing pending mark: %w", err)
	}
	return true, nil
}

// BulkRecord stores many new events of one commune at once and adds them to
// the digests with one update per digest document: for seeding, imports and
// benchmarks (200,000 events: about twenty seconds, instead of hours). If
// some ids were stored already it falls back to rebuilding the commune's
// digests from its events, which is exact either way.
func (s *Service) BulkRecord(ctx context.Context, commune string, events []Event) error {
	docs := make([]any, 0, len(events))
	incs := map[string]*digestInc{}
	var order []string
	now := s.now().UTC()
	for _, e := range events {
		if e.CommuneID != commune || !validDay(e.Day) {
			return apperr.Invalid("events", "event %s is not of commune %s or has no valid day", e.ID, commune)
		}
		if e.At.IsZero() {
			e.At = now
		}
		e.Applied = true
		docs = append(docs, e)
		for _, d := range digestsOf(e, e.Value) {
			merge(incs, d, &order)
		}
	}
	dup := false
	for start := 0; start < len(docs); start += 10000 {
		_, err := s.events.InsertMany(ctx, docs[start:min(start+10000, len(docs))], options.InsertMany().SetOrdered(false))
		if mongo.IsDuplicateKeyError(err) {
			dup = true
			continue
		}
		if err != nil {
			return fmt.Errorf("storing reach events: %w", err)
		}
	}
	if dup {
		return s.Rebuild(ctx, commune)
	}
	return s.addDigests(ctx, incs, order)
}

// addDigests inserts the digests that do not exist yet whole (an insert
// costs a fraction of an upsert of many fields on the embedded store) and
// adds to the others with $inc.
func (s *Service) addDigests(ctx context.Context, incs map[string]*digestInc, order []string) error {
	byColl := map[string][]string{}
	for _, id := range order {
		byColl[incs[id].coll] = append(byColl[incs[id].coll], id)
	}
	for coll, ids := range byColl {
		for start := 0; start < len(ids); start += 500 {
			if err := s.addDigestBatch(ctx, s.db.Collection(coll), incs, ids[start:min(start+500, len(ids))]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) addDigestBatch(ctx context.Context, c *mongo.Collection, incs map[string]*digestInc, ids []string) error {
	docs := make([]any, len(ids))
	for i, id := range ids {
		docs[i] = incs[id].document()
	}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &bulk) || bulk.WriteConcernError != nil:
		return fmt.Errorf("storing reach digests: %w", err)
	}
	var models []mongo.WriteModel
	for _, we := range bulk.WriteErrors {
		if we.Code != 11000 {
			return fmt.Errorf("storing reach digests: %w", we)
		}
		models = append(models, incs[ids[we.Index]].model())
	}
	if _, err := c.BulkWrite(ctx, models); err != nil {
		return fmt.Errorf("updating reach digests: %w", err)
	}
	return nil
}

// unrecord takes back an event whose digests could not be updated, so that
// the failed call leaves nothing behind: a caller told it failed may try
// again, and must not be counted twice. Its pending mark stays, so that the
// repair job rebuilds the commune's digests without it (removing the empty
// entries the taken-back increments leave), and settles whatever could not
// be taken back.
func (s *Service) unrecord(ctx context.Context, e Event) {
	if _, err := s.events.DeleteOne(ctx, bson.M{"_id": e.ID}); err != nil {
		s.log.Warn("reach event kept after a failed recording; the repair job settles it", "event", e.ID, "err", err)
	}
}
