package deliveries

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// OutcomeRecorder is told of the deliveries that came to an end, all of
// one commune (the scope of ctx): at once, one at a time, for each the
// dispatcher or a person ends (sent, dead, missed, cancelled when the item
// changed under it; an airing aired or skipped), and every half hour all
// of the finished ones still in the hot collection (Retell). The reach
// outcome counters (reach.Outcomes) implement it, so that the annual
// report, the reach pages and the API count an airing or a post the moment
// it is recorded. Recording the same outcome twice must change nothing.
//
// Changes made in bulk are told by Retell only: cancellations by an edit
// (CancelPending) and unconfirmed slots marked missed (MissUnconfirmed),
// and whatever a failed call missed.
type OutcomeRecorder interface {
	DeliveriesFinished(ctx context.Context, list []Delivery) error
}

// recordOutcomes tells the outcome recorder, if any, of ds, which have
// just ended: once per commune, in the order given. A failure is logged and
// otherwise ignored: the deliveries' states are recorded already, and
// Retell tells them again.
func (s *Service) recordOutcomes(ctx context.Context, ds []Delivery) {
	if s.outcomes == nil || len(ds) == 0 {
		return
	}
	var communes []string
	byCommune := map[string][]Delivery{}
	for _, d := range ds {
		if byCommune[d.CommuneID] == nil {
			communes = append(communes, d.CommuneID)
		}
		byCommune[d.CommuneID] = append(byCommune[d.CommuneID], d)
	}
	for _, c := range communes {
		if err := s.outcomes.DeliveriesFinished(scoped(ctx, c), byCommune[c]); err != nil {
			s.log.Warn("recording deliveries' outcomes; the next retelling will count them", "commune", c, "deliveries", len(byCommune[c]), "err", err)
		}
	}
}

// Retell tells the outcome recorder of every finished delivery still in
// the hot collection, commune by commune (the clock runs it every half
// hour, well within the two days a finished delivery stays there). One
// listing of the finished states: the embedded store answers no filter but
// _id without decoding the whole collection, so a listing per state
// decoded it four times (on a demo folder's 259 hot deliveries: 180 ms
// for the four, 47 ms for one).
func (s *Service) Retell(ctx context.Context) error {
	if s.outcomes == nil {
		return nil
	}
	var list []Delivery
	cur, err := s.hot.Find(ctx, bson.M{"state": bson.M{"$in": finished}})
	if err == nil {
		err = cur.All(ctx, &list)
	}
	if err != nil {
		return fmt.Errorf("listing finished deliveries: %w", err)
	}
	byCommune := map[string][]Delivery{}
	for _, d := range list {
		byCommune[d.CommuneID] = append(byCommune[d.CommuneID], d)
	}
	for _, c := range slices.Sorted(maps.Keys(byCommune)) {
		if err := s.outcomes.DeliveriesFinished(scoped(ctx, c), byCommune[c]); err != nil {
			return fmt.Errorf("commune %s: %w", c, err)
		}
	}
	return nil
}
