package deliveries

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Materialize writes the deliveries of an approved item: one per channel
// (and station, for scripts) per occurrence, for a one-off moment whenever it
// is, for a recurrence from now to the horizon. Ids are deterministic, so
// running it again inserts nothing twice; a delivery cancelled by an earlier
// edit is queued again for the item's new version. It returns how many
// deliveries this call created or queued again (0 when it ran before).
func (s *Service) Materialize(ctx context.Context, it campaigns.Item) (int, error) {
	if it.Status != campaigns.StatusApproved {
		return 0, nil
	}
	now := s.now()
	from, to := now, now.Add(s.opt.Horizon)
	if !it.Schedule.Recurring() {
		from, to = it.Schedule.At.Add(-1), it.Schedule.At.Add(1)
	}
	want := s.plan(it, it.Schedule.Occurrences(from, to, s.loc))
	if len(want) == 0 {
		return 0, nil
	}
	ids := make([]string, len(want))
	for i, d := range want {
		ids[i] = d.ID
	}
	existing, err := s.states(ctx, ids)
	if err != nil {
		return 0, err
	}
	var fresh []any
	requeued := 0
	defer func() {
		if len(fresh) > 0 || requeued > 0 {
			s.dueChanged(ctx) // new work for every replica's dispatcher (due.go)
		}
	}()
	for _, d := range want {
		have, ok := existing[d.ID]
		switch {
		case !ok:
			fresh = append(fresh, d)
		case have.State == StateCancelled, have.State == StateQueued && have.ItemVersion != d.ItemVersion:
			// (A queued one of this version is left alone: the daily top-up
			// meets every queued delivery again, and requeue's filter is
			// a scan of the hot collection on the embedded store.)
			requeued++
			if err := s.requeue(ctx, d); err != nil {
				return 0, err
			}
		}
	}
	inserted := 0
	if len(fresh) > 0 {
		_, err := s.hot.InsertMany(ctx, fresh, options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return 0, fmt.Errorf("inserting deliveries: %w", err)
		}
		inserted = len(fresh) - duplicates(err) // another replica may have inserted some first
	}
	if inserted+requeued > 0 && slices.Contains(it.Channels, "loudspeaker") {
		s.rundownsChanged(ctx, it.CommuneID)
	}
	return inserted + requeued, nil
}

// plan builds the deliveries an item wants at the given occurrences.
func (s *Service) plan(it campaigns.Item, occ []time.Time) []Delivery {
	now := s.now().UTC()
	var out []Delivery
	for _, at := range occ {
		local := at.In(s.loc)
		for _, ch := range it.Channels {
			stations := []string{""}
			if ch == "loudspeaker" {
				stations = it.StationIDs
			}
			for _, st := range stations {
				out = append(out, Delivery{
					ID: DeliveryID(it.ID, ch, st, at), CommuneID: it.CommuneID, ItemID: it.ID, ItemVersion: it.Version,
					CampaignID: it.CampaignID, Kind: it.Kind, Title: it.Title, Channel: ch, StationID: st,
					DueAt: at.UTC(), Day: local.Format(campaigns.DateLayout), Slot: local.Format("15:04"),
					State: StateQueued, RunAt: at.UTC(), GraceFrom: at.UTC(), CreatedAt: now, UpdatedAt: now,
				})
			}
		}
	}
	return out
}

// byIDLimit is how many ids states looks up one by one: an _id lookup is the
// only filter the embedded store pushes down, so a few of them beat one $in
// query that decodes the whole collection.
const byIDLimit = 32

// existingState is what Materialize reads of a delivery it wants.
type existingState struct {
	State       string `bson:"state"`
	ItemVersion int    `bson:"item_version"`
}

// states returns the state and item version of each existing delivery
// among ids.
func (s *Service) states(ctx context.Context, ids []string) (map[string]existingState, error) {
	proj := bson.M{"state": 1, "item_version": 1}
	out := map[string]existingState{}
	if len(ids) <= byIDLimit {
		for _, id := range ids {
			var d existingState
			err := s.hot.FindOne(ctx, bson.M{"_id": id}, options.FindOne().SetProjection(proj)).Decode(&d)
			if err == nil {
				out[id] = d
			} else if !isNoDoc(err) {
				return nil, fmt.Errorf("reading delivery: %w", err)
			}
		}
		return out, nil
	}
	cur, err := s.hot.Find(ctx, bson.M{"_id": bson.M{"$in": ids}}, options.Find().SetProjection(proj))
	if err != nil {
		return nil, fmt.Errorf("reading deliveries: %w", err)
	}
	var rows []struct {
		ID            string `bson:"_id"`
		existingState `bson:",inline"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.existingState
	}
	return out, nil
}

// requeue points a cancelled or queued delivery at the item's new version.
func (s *Service) requeue(ctx context.Context, d Delivery) error {
	_, err := s.hot.UpdateOne(ctx, bson.M{"_id": d.ID, "state": bson.M{"$in": []string{StateCancelled, StateQueued}}},
		bson.M{"$set": bson.M{"state": StateQueued, "item_version": d.ItemVersion, "title": d.Title,
			"run_at": d.RunAt, "grace_from": d.GraceFrom, "attempts": 0, "last_error": "", "updated_at": d.UpdatedAt},
			"$unset": bson.M{"finished_at": ""}})
	if err != nil {
		return fmt.Errorf("requeueing delivery: %w", err)
	}
	return nil
}

// CancelPending cancels the item's deliveries that have not gone out. One
// being sent right now is left to finish; the dispatcher refuses to send a
// delivery of an item version that is no longer approved.
func (s *Service) CancelPending(ctx context.Context, itemID string) (int, error) {
	f, err := store.Scoped(ctx, bson.M{"item_id": itemID, "state": bson.M{"$in": []string{StateQueued, StateFailed, StateAwaitingManual}}})
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	res, err := s.hot.UpdateMany(ctx, f, bson.M{"$set": bson.M{"state": StateCancelled, "last_error": "item edited after approval",
		"finished_at": now, "updated_at": now}})
	if err != nil {
		return 0, fmt.Errorf("cancelling deliveries: %w", err)
	}
	if res.ModifiedCount > 0 {
		s.rundownsChanged(ctx, f["commune_id"].(string))
		s.byHandChanged(ctx, f["commune_id"].(string))
	}
	return int(res.ModifiedCount), nil
}

// duplicates counts the duplicate-key errors of a bulk insert.
func duplicates(err error) int {
	var bw mongo.BulkWriteException
	if err == nil || !errors.As(err, &bw) {
		if store.IsDuplicateKey(err) {
			return 1
		}
		return 0
	}
	n := 0
	for _, we := range bw.WriteErrors {
		if we.Code == 11000 {
			n++
		}
	}
	return n
}

func onlyDuplicates(err error) bool {
	var bw mongo.BulkWriteException
	if !errors.As(err, &bw) {
		return store.IsDuplicateKey(err)
	}
	for _, we := range bw.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return bw.WriteConcernError == nil
}
