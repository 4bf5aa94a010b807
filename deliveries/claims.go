package deliveries

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
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
//
// The dispatcher claims and settles many deliveries at once (ClaimBatch,
// Settle's group commit): one unordered insert of all their numbers (one
// round trip, and one commit on the embedded store when no number is taken
// yet; each number still has exactly one winner) and one unordered write of
// the winners' updates by _id. The updated documents are not read back:
// they are the documents the Due scan read with the update applied in Go,
// since nothing but the holder of the sequence number changes what a
// claim or an outcome sets.

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

// takeSeqs tries to take sequence number seqs[i] of each delivery ids[i]
// with one unordered insert, and reports which it won. A number another
// replica holds is lost; so is one whose insert failed otherwise (logged):
// if it was written after all, it is a claim left behind, taken over after
// a lease like a dead replica's. An error means the insert as a whole failed.
func (s *Service) takeSeqs(ctx context.Context, ids []string, seqs []int) ([]bool, error) {
	won := make([]bool, len(ids))
	if len(ids) == 0 {
		return won, nil
	}
	now := s.now().UTC()
	docs := make([]any, len(ids))
	for i, id := range ids {
		docs[i] = claimDoc{ID: id + "|" + strconv.Itoa(seqs[i]), DeliveryID: id, Seq: seqs[i], Owner: s.opt.Owner, At: now}
		won[i] = true
	}
	_, err := s.claims.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return won, nil
	}
	var bw mongo.BulkWriteException
	if !errors.As(err, &bw) || bw.WriteConcernError != nil {
		return nil, fmt.Errorf("claiming %d deliveries: %w", len(ids), err)
	}
	for _, we := range bw.WriteErrors {
		if we.Index < 0 || we.Index >= len(won) {
			return nil, fmt.Errorf("claiming %d deliveries: %w", len(ids), err)
		}
		won[we.Index] = false
		if we.Code != 11000 {
			s.log.Error("claiming delivery", "delivery", ids[we.Index], "err", we.Message)
		}
	}
	return won, nil
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
	return s.takeAfterDead(ctx, id, seq)
}

// takeAfterDead is takeNext once number seq was found taken: it takes
// seq+1 when the claim of seq is a dead replica's.
func (s *Service) takeAfterDead(ctx context.Context, id string, seq int) (int, bool, bool, error) {
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
	won, err := s.takeSeq(ctx, id, seq+1)
	return seq + 1, won, won, err
}

// Claim takes a due delivery for sending: ClaimBatch of one.
func (s *Service) Claim(ctx context.Context, c Candidate) (Delivery, bool, error) {
	got, err := s.ClaimBatch(ctx, []Candidate{c})
	if err != nil || len(got) == 0 {
		return Delivery{}, false, err
	}
	return got[0], true, nil
}

// ClaimBatch takes due deliveries for sending: state sending under this
// replica's lease, with two round trips for the whole batch. It returns
// the ones it took, as recorded. A delivery taken from a dead owner is
// marked for reconciliation before any resend. One whose owner's lease
// ended less than the skew margin ago is left: the lease may look expired
// only because this replica's clock runs ahead. One another replica took
// first is left too.
func (s *Service) ClaimBatch(ctx context.Context, cs []Candidate) ([]Delivery, error) {
	now := s.now()
	var try []Candidate
	var ids []string
	var seqs []int
	for _, c := range cs {
		if c.State == StateSending && now.Before(c.RunAt.Add(s.opt.SkewMargin)) {
			continue
		}
		try, ids, seqs = append(try, c), append(ids, c.ID), append(seqs, c.Seq+1)
	}
	won, err := s.takeSeqs(ctx, ids, seqs)
	if err != nil {
		return nil, err
	}
	var got []Delivery
	var models []mongo.WriteModel
	at := s.now().UTC().Truncate(time.Millisecond)
	for i, c := range try {
		seq, stale := seqs[i], false
		if !won[i] {
			// Only a claim older than a lease can be a dead replica's, and
			// it was taken once the delivery was due: while the delivery
			// has been due for less than a lease, the number is another
			// live replica's, and asking costs two round trips for nothing.
			if now.Sub(c.RunAt) < s.opt.Lease {
				continue
			}
			var w bool
			if seq, w, stale, err = s.takeAfterDead(ctx, c.ID, seq); err != nil || !w {
				if err != nil {
					s.log.Error("claiming delivery", "delivery", c.ID, "err", err)
				}
				continue
			}
		}
		d, update := claimed(c.d, seq, s.opt.Owner, at, at.Add(s.opt.Lease), c.State == StateSending || stale)
		got, models = append(got, d), append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": c.ID}).SetUpdate(update))
	}
	return s.writeAll(ctx, got, models, "recording claims")
}

// claimed returns d as claimed at seq until the lease's end, and the update
// that records it.
func claimed(d Delivery, seq int, owner string, now, until time.Time, reconcile bool) (Delivery, bson.M) {
	set := bson.M{"state": StateSending, "seq": seq, "lease_owner": owner, "lease_until": until, "run_at": until, "updated_at": now}
	d.State, d.Seq, d.LeaseOwner, d.LeaseUntil, d.RunAt, d.UpdatedAt = StateSending, seq, owner, &until, until, now
	if reconcile {
		set["reconcile"], d.Reconcile = true, true
	}
	d.Attempts++
	return d, bson.M{"$set": set, "$inc": bson.M{"attempts": 1}}
}

// writeAll writes the updates of ds (by _id, one each, in order) in one
// unordered round trip and returns the deliveries whose update was
// written. A delivery that is gone is left out; so is one whose update
// failed (logged): the sequence number it took is then a claim left
// behind, taken over after a lease.
func (s *Service) writeAll(ctx context.Context, ds []Delivery, models []mongo.WriteModel, what string) ([]Delivery, error) {
	if len(models) == 0 {
		return nil, nil
	}
	res, err := s.hot.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	failed := map[int]bool{}
	if err != nil {
		var bw mongo.BulkWriteException
		if !errors.As(err, &bw) || bw.WriteConcernError != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		for _, we := range bw.WriteErrors {
			failed[we.Index] = true
			s.log.Error(what, "delivery", ds[min(max(we.Index, 0), len(ds)-1)].ID, "err", we.Message)
		}
	}
	var out []Delivery
	for i, d := range ds {
		if !failed[i] {
			out = append(out, d)
		}
	}
	if res != nil && int(res.MatchedCount) < len(out) {
		return s.stillThere(ctx, out)
	}
	return out, nil
}

// stillThere keeps the deliveries of ds that are still in the hot
// collection (one was deleted under the batch: rare, so one read each).
func (s *Service) stillThere(ctx context.Context, ds []Delivery) ([]Delivery, error) {
	var out []Delivery
	for _, d := range ds {
		err := s.hot.FindOne(ctx, bson.M{"_id": d.ID}, options.FindOne().SetProjection(bson.M{"_id": 1})).Err()
		if err == nil {
			out = append(out, d)
		} else if !isNoDoc(err) {
			return nil, fmt.Errorf("reading delivery %s: %w", d.ID, err)
		}
	}
	return out, nil
}
