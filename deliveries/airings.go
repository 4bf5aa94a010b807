package deliveries

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Loudspeaker deliveries are not pushed: they wait, queued, for the
// operator's report. An airing confirmed turns the delivery sent (also from
// missed: a late confirmation); a slot reported skipped stays missed, with
// skipped set and the operator's reason, so that editors see it. Each change
// is one conditional update of one document, atomic on MongoDB and on the
// embedded store (one command at a time), and bumps the commune's rundown
// stamp so every replica's cached rundown is rebuilt.

// Loudspeaker is the channel of scripts read on the stations.
const Loudspeaker = "loudspeaker"

// MarkAired records that the delivery's script was aired at airedAt,
// confirmed by by: queued or missed (skipped or not) → sent. It returns the
// delivery and whether this call changed it; one already sent is returned
// as it is, so that a second confirmation is the same confirmation. A
// cancelled delivery gives apperr.ErrConflict, one of another channel or
// commune apperr.ErrNotFound.
func (s *Service) MarkAired(ctx context.Context, id string, airedAt time.Time, by string) (Delivery, bool, error) {
	now := s.now().UTC()
	d, changed, err := s.markAiring(ctx, bson.M{"_id": id, "channel": Loudspeaker, "state": bson.M{"$in": []string{StateQueued, StateMissed}}},
		bson.M{
			"$set": bson.M{"state": StateSent, "sent_at": airedAt.UTC(), "finished_at": now, "updated_at": now,
				"confirmed_by": by, "confirmed_at": now, "last_error": ""},
			"$unset": bson.M{"skipped": "", "skip_reason": ""},
		})
	if err != nil || changed {
		return d, changed, err
	}
	if d.State != StateSent {
		return Delivery{}, false, unconfirmable(d)
	}
	return d, false, nil
}

// MarkSkipped records the operator's report that the slot did not air, and
// why: queued or missed → missed with skipped and skip_reason. A slot
// already reported skipped is returned as it is; one already confirmed as
// aired, or cancelled, gives apperr.ErrConflict.
func (s *Service) MarkSkipped(ctx context.Context, id, reason, by string) (Delivery, bool, error) {
	now := s.now().UTC()
	d, changed, err := s.markAiring(ctx, bson.M{"_id": id, "channel": Loudspeaker,
		"state": bson.M{"$in": []string{StateQueued, StateMissed}}, "skipped": bson.M{"$ne": true}},
		bson.M{"$set": bson.M{"state": StateMissed, "skipped": true, "skip_reason": reason, "finished_at": now, "updated_at": now,
			"confirmed_by": by, "confirmed_at": now, "last_error": "skipped by the operator: " + reason}})
	if err != nil || changed {
		return d, changed, err
	}
	if d.State == StateSent {
		return Delivery{}, false, apperr.Conflict("this slot was already confirmed as aired; it cannot be reported skipped")
	}
	if d.State != StateMissed || !d.Skipped {
		return Delivery{}, false, unconfirmable(d)
	}
	return d, false, nil
}

// markAiring applies update to the delivery matching filter in the scope's
// commune. When nothing matched it returns the delivery as it is now, for
// the caller to tell a repeat from a conflict.
func (s *Service) markAiring(ctx context.Context, filter, update bson.M) (Delivery, bool, error) {
	q, err := store.Scoped(ctx, filter)
	if err != nil {
		return Delivery{}, false, err
	}
	var d Delivery
	err = s.hot.FindOneAndUpdate(ctx, q, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if err == nil {
		s.rundownsChanged(ctx, d.CommuneID)
		s.recordOutcomes(ctx, []Delivery{d})
		return d, true, nil
	}
	if !isNoDoc(err) {
		return Delivery{}, false, fmt.Errorf("recording airing: %w", err)
	}
	err = store.FindByID(ctx, s.hot, filter["_id"].(string), &d)
	if isNoDoc(err) || (err == nil && d.Channel != Loudspeaker) {
		return Delivery{}, false, apperr.NotFound("loudspeaker delivery")
	}
	return d, false, err
}

func unconfirmable(d Delivery) error {
	if d.State == StateCancelled {
		return apperr.Conflict("this script was withdrawn (edited after approval); nothing to confirm")
	}
	return apperr.Conflict("this delivery is %s and cannot be confirmed", d.State)
}

// CommuneDay returns every loudspeaker delivery of the scope's commune on
// day (local YYYY-MM-DD), except cancelled ones, by station, each by due
// time: one read where asking station by station costs one scan of the
// collection per station. It has no listing limit: a rundown must not lose
// its evening slots. Days before today also look in the archive, where
// finished deliveries go after two days.
func (s *Service) CommuneDay(ctx context.Context, day string) (map[string][]Delivery, error) {
	list, err := s.stationDeliveries(ctx, bson.M{"day": day}, day, 0, func(d Delivery) bool {
		return d.State != StateCancelled
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]Delivery{}
	for _, d := range list { // sorted already, so each station's list is too
		out[d.StationID] = append(out[d.StationID], d)
	}
	return out, nil
}

// StationAirings returns the station's loudspeaker deliveries between two
// days (inclusive) that an operator reported: aired (sent) or skipped, by
// due time, at most MaxList.
func (s *Service) StationAirings(ctx context.Context, stationID, from, to string) ([]Delivery, error) {
	cond := bson.M{"station_id": stationID, "day": bson.M{"$gte": from, "$lte": to},
		"state": bson.M{"$in": []string{StateSent, StateMissed}}}
	list, err := s.stationDeliveries(ctx, cond, from, MaxList, func(d Delivery) bool {
		return d.State == StateSent || d.Skipped
	})
	return list[:min(len(list), MaxList)], err
}

// stationDeliveries reads the loudspeaker deliveries matching cond in the
// scope's commune (at most limit from each collection; 0: all), from the
// archive too when since is before today, keeps those keep accepts, and
// sorts them by due time.
func (s *Service) stationDeliveries(ctx context.Context, cond bson.M, since string, limit int64, keep func(Delivery) bool) ([]Delivery, error) {
	cond["channel"] = Loudspeaker
	q, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cols := []*mongo.Collection{s.hot}
	if since < s.now().In(s.loc).Format(campaigns.DateLayout) {
		cols = append(cols, s.archive)
	}
	seen := map[string]bool{}
	out := []Delivery{}
	for _, c := range cols {
		list, err := s.find(ctx, c, q, limit)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			if !seen[d.ID] && keep(d) { // a crash while archiving may leave a copy in both
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, func(a, b Delivery) int {
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// rundownsChanged bumps the commune's rundown stamp (see package stamps).
func (s *Service) rundownsChanged(ctx context.Context, commune string) {
	s.stamps.Bump(ctx, stamps.Rundowns(commune))
}
