package app

import (
	"context"

	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/scheduler"
)

// scheduleReach wires the reach service to the scheduler's finished
// deliveries (the annual report's outcome counters) and puts its jobs on the
// clock: the counters tallied every half hour, well within the two days a
// finished delivery stays in the hot collection — the safety net behind
// outcomeRecorder for what changes in bulk (cancellations, unconfirmed
// slots marked missed): a tally decodes the hot collection four times,
// about a second with a fortnight of 30 stations on the embedded store —
// and the 25/11 report deadline notice set or cleared hourly (it shows from
// 01/11 to 24/11).
func (a *App) scheduleReach() error {
	a.Reach.Deliveries = a.finishedDeliveries
	if err := a.Clock.Add("0 20,50 * * * *", "tally-delivery-outcomes", func(ctx context.Context) error {
		ids, err := a.communeIDs(ctx)
		if err != nil {
			return err
		}
		return a.Reach.TallyAll(ctx, ids)
	}); err != nil {
		return err
	}
	return a.Clock.Add("0 1 * * * *", "report-deadline-notice", func(ctx context.Context) error {
		ids, err := a.communeIDs(ctx)
		if err != nil {
			return err
		}
		return a.Reach.RefreshNotices(ctx, ids)
	})
}

// outcomeRecorder is the scheduler's OutcomeRecorder over reach: each
// delivery the dispatcher or an airing report ends goes into the outcome
// counters at once (reach.Service.RecordOutcomes with that one delivery),
// so that the report page, the reach pages and the API agree the moment an
// airing or a send is recorded. It is given to scheduler.New as a
// dependency.
type outcomeRecorder struct{ reach *reach.Service }

// DeliveryFinished records d's outcome.
func (o outcomeRecorder) DeliveryFinished(ctx context.Context, d scheduler.Delivery) error {
	return o.reach.RecordOutcomes(ctx, []reach.DeliveryOutcome{outcomeOf(d)})
}

// outcomeOf is a finished delivery as reach counts it.
func outcomeOf(d scheduler.Delivery) reach.DeliveryOutcome {
	return reach.DeliveryOutcome{ID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, Kind: d.Kind,
		Title: d.Title, Channel: d.Channel, StationID: d.StationID, Day: d.Day, State: d.State, Skipped: d.Skipped}
}

// finishedStates are the delivery states the report counts.
var finishedStates = []string{scheduler.StateSent, scheduler.StateMissed, scheduler.StateDead, scheduler.StateCancelled}

// finishedDeliveries lists the finished deliveries of the scope's commune
// still in the hot collection, as reach counts them. (One listing per state:
// each decodes the whole hot collection on the embedded store, but one
// listing of every state returns the queued ones too, which costs more.)
func (a *App) finishedDeliveries(ctx context.Context) ([]reach.DeliveryOutcome, error) {
	var out []reach.DeliveryOutcome
	for _, state := range finishedStates {
		list, err := a.Scheduler.List(ctx, scheduler.Filter{State: state})
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			out = append(out, outcomeOf(d))
		}
	}
	return out, nil
}
