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
)

// The sender's side of the state machine, which package dispatch drives:
//
//	queued/failed ─Due─Claim→ sending ─Settle→ sent | dead | missed | cancelled
//	                                     └─Settle→ failed (retry at run_at) | queued (channel paused)
//	queued/failed (by-hand channel) ─HandOver→ awaiting_manual | missed
//
// Every change takes the delivery's next sequence number first (claims.go),
// so that of two replicas exactly one records it.

// PullChannels are not pushed: loudspeaker scripts wait for the operator's
// airing confirmation and become missed at the end of their day.
var PullChannels = []string{Loudspeaker}

// Batch is how many due deliveries one Due scan reads.
const Batch = 500

// Candidate is what a Due scan reads of a due delivery.
type Candidate struct {
	ID        string    `bson:"_id"`
	State     string    `bson:"state"`
	Channel   string    `bson:"channel"`
	CommuneID string    `bson:"commune_id"`
	GraceFrom time.Time `bson:"grace_from"`
	Seq       int       `bson:"seq"`
	RunAt     time.Time `bson:"run_at"`
}

// Due reads up to Batch due deliveries of the pushed channels in one scan,
// oldest first: queued or failed with run_at passed, or sending with its
// lease expired (its owner died: Claim marks it for reconciliation).
func (s *Service) Due(ctx context.Context) ([]Candidate, error) {
	cur, err := s.hot.Find(ctx, bson.M{
		"state":   bson.M{"$in": []string{StateQueued, StateFailed, StateSending}},
		"run_at":  bson.M{"$lte": s.now().UTC()},
		"channel": bson.M{"$nin": PullChannels},
	}, options.Find().SetSort(bson.D{{Key: "run_at", Value: 1}}).SetLimit(Batch).
		SetProjection(bson.M{"state": 1, "channel": 1, "commune_id": 1, "grace_from": 1, "seq": 1, "run_at": 1}))
	if err != nil {
		return nil, fmt.Errorf("scanning due deliveries: %w", err)
	}
	var out []Candidate
	return out, cur.All(ctx, &out)
}

// Renew extends the lease of a delivery this replica holds at seq.
func (s *Service) Renew(ctx context.Context, id string, seq int) error {
	until := s.now().Add(s.opt.Lease).UTC()
	_, err := s.hot.UpdateOne(ctx, bson.M{"_id": id, "seq": seq, "lease_owner": s.opt.Owner},
		bson.M{"$set": bson.M{"lease_until": until, "run_at": until}})
	return err
}

// Outcome is what an attempt (or a decision not to attempt) leaves on a
// delivery.
type Outcome struct {
	// State is final (sent, dead, missed, cancelled) or waiting (queued,
	// failed: tried again at RunAt).
	State string
	// Error is the last_error shown to editors ("" clears it); Class the
	// publisher's error class, if any.
	Error, Class string
	// ExternalID and URL are the platform's post, when sent.
	ExternalID, URL string
	// RunAt is when a waiting delivery is due again.
	RunAt time.Time
	// Reconcile asks the platform before any resend (the outcome of the
	// attempt is unknown).
	Reconcile bool
	// Refund gives the attempt back: the channel was paused under it.
	Refund bool
}

// final reports whether a state is one a delivery does not leave by itself.
func final(state string) bool { return slices.Contains(finished, state) }

// Settle records o on a delivery last seen at sequence number seen, if
// this replica can still take the next number, and tells the outcome
// recorder of a final one. It reports whether it recorded it.
func (s *Service) Settle(ctx context.Context, id string, seen int, o Outcome) bool {
	now := s.now().UTC()
	set := bson.M{"state": o.State, "last_error": o.Error}
	if o.Class != "" {
		set["error_class"] = o.Class
	}
	update := bson.M{"$set": set, "$unset": bson.M{"lease_owner": "", "lease_until": ""}}
	if final(o.State) {
		set["finished_at"] = now
		if o.State == StateSent {
			set["external_id"], set["url"], set["sent_at"] = o.ExternalID, o.URL, now
		}
	} else {
		set["run_at"] = o.RunAt.UTC()
		if o.Reconcile {
			set["reconcile"] = true
		}
		if o.Refund {
			update["$inc"] = bson.M{"attempts": -1}
		}
	}
	d, ok := s.settle(ctx, id, seen, update)
	if ok && final(o.State) {
		s.recordOutcome(ctx, d)
	}
	return ok
}

func isNoDoc(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
