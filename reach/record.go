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
//
// The events of one call are written together: one insert of their pending
// marks, one of the events, one update per digest document (an airing's two
// events share their three), one delete of the marks — six commands for an
// airing where one event at a time took twelve. When a digest cannot be
// updated the call takes back what it added and stores none of its new
// events (their marks stay for Repair), so that a caller told it failed may
// try again and is not counted twice.
func (s *Service) Record(ctx context.Context, events ...Event) (int, error) {
	for _, e := range events {
		if !validDay(e.Day) {
			return 0, apperr.Invalid("date", "reach event %s has no valid day (%q)", e.ID, e.Day)
		}
	}
	if len(events) == 0 {
		return 0, nil
	}
	now := s.now().UTC()
	evs := make([]Event, len(events))
	marks, docs := make([]any, len(events)), make([]any, len(events))
	for i, e := range events {
		if e.At.IsZero() {
			e.At = now
		}
		e.Applied = true // a crash before the digests are updated leaves the pending mark
		evs[i], docs[i] = e, e
		marks[i] = pendingMark{ID: e.ID, CommuneID: e.CommuneID, At: now}
	}
	_, err := s.pending.InsertMany(ctx, marks, options.InsertMany().SetOrdered(false))
	markedBefore, err := duplicateIndexes(err)
	if err != nil {
		return 0, fmt.Errorf("marking reach events pending: %w", err)
	}
	_, err = s.events.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	storedBefore, err := duplicateIndexes(err)
	if err != nil {
		return 0, fmt.Errorf("storing reach events: %w", err)
	}
	var added []Event
	var ours []string // marks this call wrote for events recorded before
	for i, e := range evs {
		switch {
		case !storedBefore[i]:
			added = append(added, e)
		case !markedBefore[i]:
			ours = append(ours, e.ID)
		}
		// A mark we did not write for an event recorded before belongs to
		// an earlier attempt that may have crashed: Repair settles it.
	}
	if len(ours) > 0 {
		_, _ = s.pending.DeleteMany(ctx, byIDs(ours))
	}
	if len(added) == 0 {
		return 0, nil
	}
	if err := s.apply(ctx, added); err != nil {
		s.unrecord(ctx, added)
		return 0, err
	}
	if _, err := s.pending.DeleteMany(ctx, byIDs(idsOf(added))); err != nil {
		return len(added), fmt.Errorf("clearing pending marks: %w", err)
	}
	return len(added), nil
}

// duplicateIndexes reads an unordered InsertMany's error: the indexes of
// the documents refused as duplicates, or the error when anything else
// went wrong.
func duplicateIndexes(err error) (map[int]bool, error) {
	if err == nil {
		return nil, nil
	}
	var bulk mongo.BulkWriteException
	if !errors.As(err, &bulk) || bulk.WriteConcernError != nil {
		return nil, err
	}
	dup := map[int]bool{}
	for _, we := range bulk.WriteErrors {
		if we.Code != 11000 {
			return nil, we
		}
		dup[we.Index] = true
	}
	return dup, nil
}

// idsOf lists the events' ids.
func idsOf(events []Event) []string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

// byIDs selects documents by id: {_id: id} for one, which the embedded
// store answers without decoding the collection, $in for more.
func byIDs(ids []string) bson.M {
	if len(ids) == 1 {
		return bson.M{"_id": ids[0]}
	}
	return bson.M{"_id": bson.M{"$in": ids}}
}

// BulkRecord stores many new events of one commune at once and adds them to
// the digests with one update per digest document: for seeding, imports and
// benchmarks (200,000 events: about twenty seconds, instead of hours). If
// some ids were stored already it falls back to rebuilding the commune's
// digests from its events, which is exact either way.
func (s *Service) BulkRecord(ctx context.Context, commune string, events []Event) error {
	docs := make([]any, 0, len(events))
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
	incs, order := sumDigests(events)
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
	exist, err := duplicateIndexes(err)
	if err != nil {
		return fmt.Errorf("storing reach digests: %w", err)
	}
	if len(exist) == 0 {
		return nil
	}
	var models []mongo.WriteModel
	for i, id := range ids {
		if exist[i] {
			models = append(models, incs[id].model())
		}
	}
	if _, err := c.BulkWrite(ctx, models); err != nil {
		return fmt.Errorf("updating reach digests: %w", err)
	}
	return nil
}

// unrecord takes back events whose digests could not be updated, so that
// the failed call leaves nothing behind: a caller told it failed may try
// again, and must not be counted twice. Their pending marks stay, so that
// the repair job rebuilds the commune's digests without them (removing the
// empty entries the taken-back increments leave), and settles whatever
// could not be taken back.
func (s *Service) unrecord(ctx context.Context, events []Event) {
	ids := idsOf(events)
	if _, err := s.events.DeleteMany(ctx, byIDs(ids)); err != nil {
		s.log.Warn("reach events kept after a failed recording; the repair job settles them", "events", ids, "err", err)
	}
}
