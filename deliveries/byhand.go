package deliveries

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Channels published by hand (SPEC §6.2): a Facebook Page or Zalo OA
// without API credentials has a publishers.ByHand publisher (Deps.ByHand). At its due
// time the dispatcher moves such a delivery queued → awaiting_manual
// instead of sending it (never "sent": nothing has reached the public), and
// the commune's editors are shown it. An editor records the post's link
// (MarkPosted: → sent, with url and external_id) or skips it with a
// reason (SkipByHand: → cancelled); one not posted by the end of the day
// after its due day becomes missed (MissByHand, on the clock). Each change
// is one conditional update of one document; every one bumps the
// commune's by-hand stamp, which the editors' count of posts to make is
// cached against.

// StateAwaitingManual is a delivery of a by-hand channel that has fallen
// due and waits for a person to post it.
const StateAwaitingManual = "awaiting_manual"

// ByHand reports whether channel is published by a person here.
func (s *Service) ByHand(channel string) bool { return slices.Contains(s.byHand, channel) }

// HandOver moves a due delivery of a by-hand channel to awaiting_manual,
// or to missed when it is found after the end of the day after its due
// day (the service was down all that time). The sequence number is taken
// first, like every change the dispatcher makes, so that two replicas hand
// it over once; the update is conditional on the state, so that a person's
// skip in between wins.
func (s *Service) HandOver(ctx context.Context, c Candidate) {
	seq, won, _, err := s.takeNext(ctx, c.ID, c.Seq)
	if err != nil || !won {
		if err != nil {
			s.log.Error("handing a delivery over to the editors", "delivery", c.ID, "err", err)
		}
		return
	}
	now := s.now().UTC()
	set := bson.M{"state": StateAwaitingManual, "seq": seq, "updated_at": now, "last_error": ""}
	if s.byHandLate(c.GraceFrom) {
		set["state"], set["finished_at"] = StateMissed, now
		set["last_error"] = "missed: nobody could post it by hand before the end of the day after it was due"
	}
	res, err := s.hot.UpdateOne(ctx, bson.M{"_id": c.ID, "state": bson.M{"$in": []string{StateQueued, StateFailed}}},
		bson.M{"$set": set, "$unset": bson.M{"lease_owner": "", "lease_until": ""}})
	if err != nil {
		s.log.Error("handing a delivery over to the editors", "delivery", c.ID, "err", err)
		return
	}
	if res.ModifiedCount > 0 {
		s.byHandChanged(ctx, c.CommuneID)
	}
}

// byHandLate reports whether a by-hand delivery due at due (its grace
// start) can no longer be posted: the day after its local due day is over.
func (s *Service) byHandLate(due time.Time) bool {
	d := due.In(s.loc)
	end := time.Date(d.Year(), d.Month(), d.Day()+2, 0, 0, 0, 0, s.loc)
	return !s.now().Before(end)
}

// MarkPosted records that an editor posted the delivery by hand at link
// (already checked as that platform's post link; externalID is its id):
// awaiting_manual, missed or queued → sent, with url, external_id and who.
// Posting again what is recorded returns it unchanged (changed false); a
// delivery already sent with another link, cancelled, or of a channel not
// published by hand gives apperr.ErrConflict.
func (s *Service) MarkPosted(ctx context.Context, id, link, externalID, by string) (Delivery, bool, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Delivery{}, false, err
	}
	if !s.ByHand(d.Channel) {
		return Delivery{}, false, apperr.Conflict("%s is published by the service here, not by hand", d.Channel)
	}
	switch d.State {
	case StateSent:
		if d.URL == link {
			return d, false, nil
		}
		return Delivery{}, false, apperr.Conflict("this post was already recorded as posted at %s", d.URL)
	case StateAwaitingManual, StateMissed, StateQueued:
	default:
		return Delivery{}, false, apperr.Conflict("this delivery is %s: nothing to post", d.State)
	}
	if err := s.unarchive(ctx, d); err != nil { // a missed one may have been archived
		return Delivery{}, false, err
	}
	now := s.now().UTC()
	q, _ := store.Scoped(ctx, bson.M{"_id": id, "state": d.State})
	var out Delivery
	err = s.hot.FindOneAndUpdate(ctx, q, bson.M{
		"$set": bson.M{"state": StateSent, "url": link, "external_id": externalID, "sent_at": now, "finished_at": now,
			"confirmed_by": by, "confirmed_at": now, "last_error": "", "updated_at": now},
	}, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
	if isNoDoc(err) {
		return Delivery{}, false, apperr.Conflict("the delivery changed meanwhile; reload it")
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("recording the post: %w", err)
	}
	s.byHandChanged(ctx, out.CommuneID)
	s.audit.Record(ctx, campaigns.AuditEntry{Actor: by, Action: "delivery.posted", ItemID: out.ItemID, CampaignID: out.CampaignID,
		Detail: fmt.Sprintf("%s on %s: %s", out.Title, out.Channel, link)})
	return out, true, nil
}

// SkipByHand records that the editors decided not to post the delivery,
// and why: queued or awaiting_manual → cancelled with the reason. A repeat
// returns it as it is; any other state gives apperr.ErrConflict.
func (s *Service) SkipByHand(ctx context.Context, id, reason, by string) (Delivery, bool, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Delivery{}, false, err
	}
	if !s.ByHand(d.Channel) {
		return Delivery{}, false, apperr.Conflict("%s is published by the service here, not by hand", d.Channel)
	}
	if d.State == StateCancelled && d.SkipReason != "" {
		return d, false, nil
	}
	if d.State != StateAwaitingManual && d.State != StateQueued {
		return Delivery{}, false, apperr.Conflict("this delivery is %s and cannot be skipped", d.State)
	}
	now := s.now().UTC()
	q, _ := store.Scoped(ctx, bson.M{"_id": id, "state": d.State})
	var out Delivery
	err = s.hot.FindOneAndUpdate(ctx, q, bson.M{"$set": bson.M{"state": StateCancelled, "skip_reason": reason,
		"last_error": "skipped by " + by + ": " + reason, "finished_at": now, "confirmed_by": by, "confirmed_at": now, "updated_at": now}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&out)
	if isNoDoc(err) {
		return Delivery{}, false, apperr.Conflict("the delivery changed meanwhile; reload it")
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("skipping the post: %w", err)
	}
	s.byHandChanged(ctx, out.CommuneID)
	s.audit.Record(ctx, campaigns.AuditEntry{Actor: by, Action: "delivery.skip", ItemID: out.ItemID, CampaignID: out.CampaignID,
		Detail: fmt.Sprintf("%s on %s: %s", out.Title, out.Channel, reason)})
	return out, true, nil
}

// MissByHand marks missed the awaiting_manual deliveries whose day after
// their due day is over (the clock runs it).
func (s *Service) MissByHand(ctx context.Context) (int64, error) {
	yesterday := s.now().In(s.loc).AddDate(0, 0, -1).Format(campaigns.DateLayout)
	filter := bson.M{"state": StateAwaitingManual, "day": bson.M{"$lt": yesterday}}
	var communes []string
	if err := s.hot.Distinct(ctx, "commune_id", filter).Decode(&communes); err != nil && !isNoDoc(err) {
		return 0, fmt.Errorf("finding posts nobody made: %w", err)
	}
	now := s.now().UTC()
	res, err := s.hot.UpdateMany(ctx, filter, bson.M{"$set": bson.M{"state": StateMissed, "finished_at": now, "updated_at": now,
		"last_error": "missed: nobody posted it by hand before the end of the day after it was due"}})
	if err != nil {
		return 0, fmt.Errorf("marking posts nobody made missed: %w", err)
	}
	for _, c := range communes {
		s.byHandChanged(ctx, c)
	}
	return res.ModifiedCount, nil
}

// AwaitingByHand returns the scope's commune's deliveries waiting for a
// person to post them, oldest due first.
func (s *Service) AwaitingByHand(ctx context.Context) ([]Delivery, error) {
	q, err := store.Scoped(ctx, bson.M{"state": StateAwaitingManual})
	if err != nil {
		return nil, err
	}
	return s.find(ctx, s.hot, q, MaxList)
}

// byHandChanged bumps the commune's by-hand stamp.
func (s *Service) byHandChanged(ctx context.Context, commune string) {
	s.stamps.Bump(ctx, stamps.ByHand(commune))
}
