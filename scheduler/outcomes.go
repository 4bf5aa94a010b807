package scheduler

import "context"

// OutcomeRecorder is told of each delivery the scheduler brings to an end
// one at a time, as soon as the end is recorded: the dispatcher's outcomes
// (sent, dead, missed, and cancelled when the item changed under it) and
// the operators' airing reports (aired: sent; skipped: missed with
// skipped). The reach service's delivery outcome counters implement it
// (app/reach.go), so that the annual report, the reach pages and the API
// count an airing or a post the moment it is recorded.
//
// Changes made in bulk are not told: cancellations by an edit
// (CancelPending) and unconfirmed slots marked missed (MissUnconfirmed).
// The reach tally, which the clock runs every half hour over the finished
// deliveries still in the hot collection, counts those, and whatever a
// failed call here missed.
//
// It is a constructor dependency (Deps.Outcomes), not a field set later:
// the scheduler never runs without knowing whether it has one.
type OutcomeRecorder interface {
	DeliveryFinished(ctx context.Context, d Delivery) error
}

// recordOutcome tells the outcome recorder, if any, of d, which has just
// ended. A failure is logged and otherwise ignored: the delivery's state is
// recorded already, and the tally counts it later.
func (s *Scheduler) recordOutcome(ctx context.Context, d Delivery) {
	if s.outcomes == nil {
		return
	}
	if err := s.outcomes.DeliveryFinished(scoped(ctx, d.CommuneID), d); err != nil {
		s.log.Warn("recording a delivery's outcome; the tally will count it", "delivery", d.ID, "state", d.State, "err", err)
	}
}
