package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/publishers"
)

// process sends one claimed delivery and records the outcome. The publish
// call is never repeated blindly: a delivery marked for reconciliation asks
// the platform first, and an unknown outcome marks it so.
func (s *Scheduler) process(ctx context.Context, d Delivery) {
	ctx = scoped(ctx, d.CommuneID)
	stopRenew := s.renewWhileWorking(ctx, d.ID, d.Seq)
	defer stopRenew()

	it, err := s.items.GetItem(ctx, d.ItemID)
	if err != nil || it.Status != campaigns.StatusApproved || it.Version != d.ItemVersion {
		s.mine(ctx, d, StateCancelled, bson.M{"last_error": "the item is no longer approved in this version"})
		return
	}
	content, err := s.content(ctx, it, d.Channel)
	if err != nil {
		s.failed(ctx, d, publishers.Errorf(publishers.Transient, "", "preparing content: %v", err))
		return
	}
	pub := s.publisher(d.Channel)
	pd := toPublisherDelivery(d)
	pctx, cancel := context.WithTimeout(ctx, s.opt.PublishTimeout)
	defer cancel()
	if d.Reconcile {
		rec, found, err := pub.Reconcile(pctx, pd, content)
		switch {
		case err != nil:
			s.failed(ctx, d, fmt.Errorf("reconciling before resend: %w", err))
			return
		case found:
			s.sent(ctx, d, rec, "found on the platform after an interrupted send")
			return
		case s.now().Sub(d.GraceFrom) > s.opt.Grace[d.Channel]:
			s.mine(ctx, d, StateMissed, bson.M{"last_error": "interrupted send not found on the platform, and now too late to resend"})
			return
		}
	}
	started := time.Now()
	rec, err := pub.Publish(pctx, pd, content)
	s.observe(d.Channel, started, err)
	if err != nil {
		s.failed(ctx, d, err)
		return
	}
	s.sent(ctx, d, rec, "")
}

func (s *Scheduler) observe(channel string, started time.Time, err error) {
	if s.observer == nil {
		return
	}
	class := ""
	if err != nil {
		c, _ := publishers.Classify(err)
		class = c.String()
	}
	s.observer.Published(channel, time.Since(started), class)
}

func toPublisherDelivery(d Delivery) publishers.Delivery {
	return publishers.Delivery{ID: d.ID, CommuneID: d.CommuneID, ItemID: d.ItemID, CampaignID: d.CampaignID,
		Channel: d.Channel, StationID: d.StationID, DueAt: d.DueAt, Attempt: d.Attempts}
}

func (s *Scheduler) sent(ctx context.Context, d Delivery, rec publishers.Receipt, note string) {
	now := s.now().UTC()
	s.mine(ctx, d, StateSent, bson.M{"external_id": rec.ExternalID, "url": rec.URL, "sent_at": now, "last_error": note})
}

// failed records a failed attempt according to its class.
func (s *Scheduler) failed(ctx context.Context, d Delivery, err error) {
	class, wait := publishers.Classify(err)
	msg := err.Error()
	set := bson.M{"last_error": msg, "error_class": class.String()}
	switch class {
	case publishers.Permanent:
		s.mine(ctx, d, StateDead, set)
		return
	case publishers.AuthInvalid, publishers.Blocked:
		pause := 24 * time.Hour
		status := "blocked"
		if class == publishers.AuthInvalid {
			pause, status = 100*365*24*time.Hour, "reconnect"
		}
		s.pause(ctx, d.CommuneID, d.Channel, status, msg, pause)
		// The attempt does not count: the delivery waits for the channel.
		set["attempts"], set["run_at"] = d.Attempts-1, s.now().UTC()
		s.requeueMine(ctx, d, StateQueued, set)
		return
	case publishers.Throttled:
		if wait <= 0 {
			wait = backoff(d.Attempts)
		}
		s.pause(ctx, d.CommuneID, d.Channel, "throttled", msg, wait)
		set["run_at"] = s.now().Add(wait).UTC()
	case publishers.Unknown:
		set["reconcile"] = true
		set["run_at"] = s.now().Add(backoff(d.Attempts)).UTC()
	default: // Transient
		set["run_at"] = s.now().Add(backoff(d.Attempts)).UTC()
	}
	if d.Attempts >= s.opt.MaxAttempts {
		set["last_error"] = fmt.Sprintf("gave up after %d attempts: %s", d.Attempts, msg)
		s.mine(ctx, d, StateDead, set)
		return
	}
	s.requeueMine(ctx, d, StateFailed, set)
}

// backoff is exponential from 30 s, capped at one hour, with ±20 % jitter so
// that replicas and deliveries do not retry in step.
func backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(max(attempt-1, 0), 7)
	d = min(d, time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// mine finishes a delivery this replica holds.
func (s *Scheduler) mine(ctx context.Context, d Delivery, state string, set bson.M) {
	s.finish(ctx, d.ID, d.Seq, state, set)
}

// finish moves a delivery last seen at sequence number seen into a final
// state, and tells the outcome recorder once that is recorded.
func (s *Scheduler) finish(ctx context.Context, id string, seen int, state string, set bson.M) {
	set["state"], set["finished_at"] = state, s.now().UTC()
	if d, ok := s.settle(ctx, id, seen, bson.M{"$set": set, "$unset": bson.M{"lease_owner": "", "lease_until": ""}}); ok {
		s.recordOutcome(ctx, d)
	}
}

// requeueMine puts a held delivery back to wait (queued or failed).
func (s *Scheduler) requeueMine(ctx context.Context, d Delivery, state string, set bson.M) {
	set["state"] = state
	s.settle(ctx, d.ID, d.Seq, bson.M{"$set": set, "$unset": bson.M{"lease_owner": "", "lease_until": ""}})
}

// renewWhileWorking extends the lease every third of its length until the
// returned stop is called.
func (s *Scheduler) renewWhileWorking(ctx context.Context, id string, seq int) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.opt.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				until := s.now().Add(s.opt.Lease).UTC()
				_, err := s.hot.UpdateOne(ctx, bson.M{"_id": id, "seq": seq, "lease_owner": s.opt.Owner},
					bson.M{"$set": bson.M{"lease_until": until, "run_at": until}})
				if err != nil {
					s.log.Warn("renewing lease", "delivery", id, "err", err)
				}
			}
		}
	}()
	return func() { close(done) }
}

func isNoDoc(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
