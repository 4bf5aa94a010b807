package deliveries

import (
	"context"
	"errors"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
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

// Batch is how many due deliveries one Due scan reads. On the embedded
// store a scan costs the same whatever it returns (it decodes the whole hot
// collection), so one scan takes in a whole burst: with 500, three replicas
// dispatching 2,000 due posts spent more time scanning than sending, and
// with 2,000 each scanned twice (a full scan is followed by another). 5,000
// whole deliveries are a few megabytes in memory for the moment of a scan.
const Batch = 5000

// Candidate is what a Due scan reads of a due delivery.
type Candidate struct {
	ID        string
	State     string
	Channel   string
	CommuneID string
	GraceFrom time.Time
	Seq       int
	RunAt     time.Time

	d Delivery // the whole document, which ClaimBatch and Settle update in Go
}

// Delivery is the candidate's delivery as the scan read it.
func (c Candidate) Delivery() Delivery { return c.d }

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

// settled returns d with o recorded at seq, and the update that records it.
func settled(d Delivery, o Outcome, seq int, now time.Time) (Delivery, bson.M) {
	set := bson.M{"state": o.State, "last_error": o.Error, "seq": seq, "updated_at": now}
	d.State, d.LastError, d.Seq, d.UpdatedAt, d.LeaseOwner, d.LeaseUntil = o.State, o.Error, seq, now, "", nil
	if o.Class != "" {
		set["error_class"], d.ErrorClass = o.Class, o.Class
	}
	update := bson.M{"$set": set, "$unset": bson.M{"lease_owner": "", "lease_until": ""}}
	if final(o.State) {
		set["finished_at"], d.FinishedAt = now, &now
		if o.State == StateSent {
			set["external_id"], set["url"], set["sent_at"] = o.ExternalID, o.URL, now
			d.ExternalID, d.URL, d.SentAt = o.ExternalID, o.URL, &now
		}
		return d, update
	}
	run := o.RunAt.UTC().Truncate(time.Millisecond)
	set["run_at"], d.RunAt = run, run
	if o.Reconcile {
		set["reconcile"], d.Reconcile = true, true
	}
	if o.Refund {
		update["$inc"] = bson.M{"attempts": -1}
		d.Attempts--
	}
	return d, update
}

func isNoDoc(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
