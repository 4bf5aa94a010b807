package deliveries

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// States lists every delivery state.
var States = []string{StateQueued, StateSending, StateAwaitingManual, StateSent, StateFailed, StateDead, StateMissed, StateCancelled}

// Filter selects deliveries; empty fields match everything.
type Filter struct {
	ItemID, State, Channel, StationID, Day string
	// Archived includes deliveries finished long ago.
	Archived bool
}

// MaxList bounds a listing.
const MaxList = 1000

// List returns the caller's deliveries matching f, by due time.
func (s *Service) List(ctx context.Context, f Filter) ([]Delivery, error) {
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, apperr.Invalid("state", "must be one of %v", States)
	}
	if f.Channel != "" && !slices.ContainsFunc(campaigns.Channels, func(c campaigns.Code) bool { return c.Code == f.Channel }) {
		return nil, apperr.Invalid("channel", "unknown channel %q", f.Channel)
	}
	cond := bson.M{}
	for k, v := range map[string]string{"item_id": f.ItemID, "state": f.State, "channel": f.Channel, "station_id": f.StationID, "day": f.Day} {
		if v != "" {
			cond[k] = v
		}
	}
	q, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	out, err := s.find(ctx, s.hot, q, MaxList)
	if err != nil || !f.Archived {
		return out, err
	}
	old, err := s.find(ctx, s.archive, q, MaxList)
	out = append(out, old...)
	slices.SortFunc(out, func(a, b Delivery) int { return a.DueAt.Compare(b.DueAt) })
	return out[:min(len(out), MaxList)], err
}

// find reads the deliveries of c matching q by due time, at most limit (0:
// all).
func (s *Service) find(ctx context.Context, c *mongo.Collection, q bson.M, limit int64) ([]Delivery, error) {
	cur, err := c.Find(ctx, q, options.Find().SetSort(bson.D{{Key: "due_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("listing deliveries: %w", err)
	}
	out := []Delivery{}
	return out, cur.All(ctx, &out)
}

// Get returns one of the caller's deliveries (hot or archived).
func (s *Service) Get(ctx context.Context, id string) (Delivery, error) {
	for _, c := range []*mongo.Collection{s.hot, s.archive} {
		var d Delivery
		err := store.FindByID(ctx, c, id, &d)
		if err == nil {
			return d, nil
		}
		if !isNoDoc(err) {
			return Delivery{}, err
		}
	}
	return Delivery{}, apperr.NotFound("delivery")
}

// Retry queues a dead or missed delivery again, now, with a fresh grace
// window. A delivery that might already be on the platform (its last
// outcome was unknown) is still reconciled first.
func (s *Service) Retry(ctx context.Context, actor, id string) (Delivery, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Delivery{}, err
	}
	if d.State != StateDead && d.State != StateMissed {
		return Delivery{}, apperr.Conflict("only dead or missed deliveries can be retried; this one is %s", d.State)
	}
	if slices.Contains(PullChannels, d.Channel) {
		return Delivery{}, apperr.Conflict("a loudspeaker slot is not resent: the operator confirms it late, or schedule the script again")
	}
	if err := s.unarchive(ctx, d); err != nil {
		return Delivery{}, err
	}
	now := s.now().UTC()
	q, _ := store.Scoped(ctx, bson.M{"_id": id, "state": d.State})
	var out Delivery
	err = s.hot.FindOneAndUpdate(ctx, q, bson.M{
		"$set":   bson.M{"state": StateQueued, "run_at": now, "grace_from": now, "attempts": 0, "last_error": "", "updated_at": now},
		"$unset": bson.M{"finished_at": ""},
	}, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
	s.dueChanged(ctx)
	if isNoDoc(err) {
		return Delivery{}, apperr.Conflict("the delivery changed meanwhile; reload it")
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("retrying delivery: %w", err)
	}
	s.audit.Record(ctx, campaigns.AuditEntry{Actor: actor, Action: "delivery.retry", ItemID: d.ItemID, CampaignID: d.CampaignID,
		Detail: fmt.Sprintf("%s on %s (was %s: %s)", d.Title, d.Channel, d.State, d.LastError)})
	return out, nil
}

// unarchive moves an archived delivery back into the hot collection, and
// out of its month's digest.
func (s *Service) unarchive(ctx context.Context, d Delivery) error {
	if _, err := s.hot.InsertOne(ctx, d); err != nil && !store.IsDuplicateKey(err) {
		return fmt.Errorf("restoring delivery: %w", err)
	}
	if err := s.indexArchived(ctx, []Delivery{d}, true); err != nil {
		return err
	}
	_, err := s.archive.DeleteOne(ctx, bson.M{"_id": d.ID})
	return err
}

// HasAny reports whether the scope's commune has any delivery of the item,
// in the hot collection or the archive.
func (s *Service) HasAny(ctx context.Context, itemID string) (bool, error) {
	q, err := store.Scoped(ctx, bson.M{"item_id": itemID})
	if err != nil {
		return false, err
	}
	for _, c := range []*mongo.Collection{s.hot, s.archive} {
		n, err := c.CountDocuments(ctx, q, options.Count().SetLimit(1))
		if err != nil {
			return false, fmt.Errorf("looking for deliveries: %w", err)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
