package deliveries

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// Every change the dispatcher makes to a delivery takes the delivery's next
// sequence number first, by inserting the claim document <id>|<seq>: a
// unique insert has exactly one winner on MongoDB and on the embedded store
// alike, and costs a fraction of a millisecond. The winner then updates the
// delivery by _id alone, the one filter the embedded store answers without
// decoding the whole collection. A replica whose lease was taken over finds
// its next number gone and records nothing.

// claimDoc is one taken sequence number of one delivery.
type claimDoc struct {
	ID         string    `bson:"_id"`
	DeliveryID string    `bson:"delivery_id"`
	Seq        int       `bson:"seq"`
	Owner      string    `bson:"owner"`
	At         time.Time `bson:"at"`
}

// takeSeq tries to take sequence number seq of delivery id.
func (s *Service) takeSeq(ctx context.Context, id string, seq int) (bool, error) {
	_, err := s.claims.InsertOne(ctx, claimDoc{ID: id + "|" + strconv.Itoa(seq), DeliveryID: id, Seq: seq, Owner: s.opt.Owner, At: s.now().UTC()})
	if store.IsDuplicateKey(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claiming delivery %s: %w", id, err)
	}
	return true, nil
}

// takeNext takes the sequence number after the one a scan saw. When that
// number was taken by a replica that died before recording anything (the
// claim is older than a lease and the delivery never moved to it), it takes
// the one after instead; stale reports that case, which calls for
// reconciliation.
func (s *Service) takeNext(ctx context.Context, id string, seen int) (seq int, won, stale bool, err error) {
	seq = seen + 1
	if won, err = s.takeSeq(ctx, id, seq); won || err != nil {
		return seq, won, false, err
	}
	var c claimDoc
	if err := s.claims.FindOne(ctx, bson.M{"_id": id + "|" + strconv.Itoa(seq)}).Decode(&c); err != nil {
		return seq, false, false, nil
	}
	if s.now().Sub(c.At) < s.opt.Lease {
		return seq, false, false, nil
	}
	var d struct {
		Seq int `bson:"seq"`
	}
	if err := s.hot.FindOne(ctx, bson.M{"_id": id}, options.FindOne().SetProjection(bson.M{"seq": 1})).Decode(&d); err != nil || d.Seq >= seq {
		return seq, false, false, nil
	}
	won, err = s.takeSeq(ctx, id, seq+1)
	return seq + 1, won, won, err
}

// Claim takes a due delivery for sending: state sending under this
// replica's lease. A delivery taken from a dead owner is marked for
// reconciliation before any resend. One whose owner's lease ended less
// than the skew margin ago is left (false): the lease may look expired
// only because this replica's clock runs ahead.
func (s *Service) Claim(ctx context.Context, c Candidate) (Delivery, bool, error) {
	if c.State == StateSending && s.now().Before(c.RunAt.Add(s.opt.SkewMargin)) {
		return Delivery{}, false, nil
	}
	seq, won, stale, err := s.takeNext(ctx, c.ID, c.Seq)
	if !won || err != nil {
		return Delivery{}, false, err
	}
	now := s.now().UTC()
	until := now.Add(s.opt.Lease)
	set := bson.M{"state": StateSending, "seq": seq, "lease_owner": s.opt.Owner, "lease_until": until, "run_at": until, "updated_at": now}
	if c.State == StateSending || stale {
		set["reconcile"] = true
	}
	var d Delivery
	err = s.hot.FindOneAndUpdate(ctx, bson.M{"_id": c.ID}, bson.M{"$set": set, "$inc": bson.M{"attempts": 1}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("recording claim of %s: %w", c.ID, err)
	}
	return d, true, nil
}

// settle records an outcome on a delivery last seen at sequence number seen,
// if this replica can still take the next number. It returns the delivery
// as recorded and whether it did.
func (s *Service) settle(ctx context.Context, id string, seen int, update bson.M) (Delivery, bool) {
	seq, won, _, err := s.takeNext(ctx, id, seen)
	if err != nil {
		s.log.Error("recording delivery outcome", "delivery", id, "err", err)
		return Delivery{}, false
	}
	if !won {
		s.log.Warn("delivery outcome not recorded: another replica took it over", "delivery", id)
		return Delivery{}, false
	}
	set := update["$set"].(bson.M)
	set["seq"], set["updated_at"] = seq, s.now().UTC()
	var d Delivery
	err = s.hot.FindOneAndUpdate(ctx, bson.M{"_id": id}, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if err != nil {
		s.log.Error("recording delivery outcome", "delivery", id, "err", err)
		return Delivery{}, false
	}
	return d, true
}
