package dispatch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
)

// process sends one claimed delivery and records the outcome. The publish
// call is never repeated blindly: a delivery marked for reconciliation asks
// the platform first, and an unknown outcome marks it so.
func (s *Dispatcher) process(ctx context.Context, d deliveries.Delivery) {
	ctx = scoped(ctx, d.CommuneID)
	stopRenew := s.renewWhileWorking(ctx, d.ID, d.Seq)
	defer stopRenew()

	it, err := s.items.GetItem(ctx, d.ItemID)
	if err == nil && it.Version != d.ItemVersion {
		d = s.current(ctx, d)
	}
	if err != nil || it.Status != campaigns.StatusApproved || it.Version != d.ItemVersion {
		s.settle(ctx, d, deliveries.Outcome{State: deliveries.StateCancelled, Error: "the item is no longer approved in this version"})
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
			s.settle(ctx, d, deliveries.Outcome{State: deliveries.StateMissed, Error: "interrupted send not found on the platform, and now too late to resend"})
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

func (s *Dispatcher) observe(channel string, started time.Time, err error) {
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

func toPublisherDelivery(d deliveries.Delivery) publishers.Delivery {
	return publishers.Delivery{ID: d.ID, CommuneID: d.CommuneID, ItemID: d.ItemID, CampaignID: d.CampaignID,
		Channel: d.Channel, StationID: d.StationID, DueAt: d.DueAt, Attempt: d.Attempts}
}

func (s *Dispatcher) sent(ctx context.Context, d deliveries.Delivery, rec publishers.Receipt, note string) {
	s.settle(ctx, d, deliveries.Outcome{State: deliveries.StateSent, ExternalID: rec.ExternalID, URL: rec.URL, Error: note})
}

// failed records a failed attempt according to its class.
func (s *Dispatcher) failed(ctx context.Context, d deliveries.Delivery, err error) {
	class, wait := publishers.Classify(err)
	o := deliveries.Outcome{State: deliveries.StateFailed, Error: err.Error(), Class: class.String()}
	switch class {
	case publishers.Permanent:
		o.State = deliveries.StateDead
		s.settle(ctx, d, o)
		return
	case publishers.AuthInvalid, publishers.Blocked:
		pause := 24 * time.Hour
		status := "blocked"
		if class == publishers.AuthInvalid {
			pause, status = 100*365*24*time.Hour, "reconnect"
		}
		s.pause(ctx, d.CommuneID, d.Channel, status, o.Error, pause)
		// The attempt does not count: the delivery waits for the channel.
		o.State, o.Refund, o.RunAt = deliveries.StateQueued, true, s.now()
		s.settle(ctx, d, o)
		return
	case publishers.Throttled:
		if wait <= 0 {
			wait = backoff(d.Attempts)
		}
		s.pause(ctx, d.CommuneID, d.Channel, "throttled", o.Error, wait)
		o.RunAt = s.now().Add(wait)
	case publishers.Unknown:
		o.Reconcile, o.RunAt = true, s.now().Add(backoff(d.Attempts))
	default: // Transient
		o.RunAt = s.now().Add(backoff(d.Attempts))
	}
	if d.Attempts >= s.opt.MaxAttempts {
		o.State, o.Error = deliveries.StateDead, fmt.Sprintf("gave up after %d attempts: %s", d.Attempts, o.Error)
	}
	s.settle(ctx, d, o)
}

// settle records the outcome of a delivery this replica holds.
func (s *Dispatcher) settle(ctx context.Context, d deliveries.Delivery, o deliveries.Outcome) {
	s.d.Settle(ctx, d, o)
}

// current reads a claimed delivery again when its item's version differs:
// the claim applied its update to the document as the Due scan read it,
// and the item may have been approved again in between, its delivery
// pointed at the new version (deliveries.Service.Materialize). Anything
// else, the claimed document is returned.
func (s *Dispatcher) current(ctx context.Context, d deliveries.Delivery) deliveries.Delivery {
	now, err := s.d.Get(ctx, d.ID)
	if err != nil || now.Seq != d.Seq {
		return d
	}
	return now
}

// backoff is exponential from 30 s, capped at one hour, with ±20 % jitter so
// that replicas and deliveries do not retry in step.
func backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(max(attempt-1, 0), 7)
	d = min(d, time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// renewWhileWorking extends the lease every third of its length until the
// returned stop is called.
func (s *Dispatcher) renewWhileWorking(ctx context.Context, id string, seq int) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.d.Lease() / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := s.d.Renew(ctx, id, seq); err != nil {
					s.log.Warn("renewing lease", "delivery", id, "err", err)
				}
			}
		}
	}()
	return func() { close(done) }
}
