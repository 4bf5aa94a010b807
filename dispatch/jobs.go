package dispatch

import (
	"context"
	"fmt"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/clock"
)

// Schedule puts the dispatcher's and the deliveries' work on the clock:
// dispatch every two seconds; unconfirmed loudspeaker slots and posts
// nobody made by hand marked missed every five minutes; archiving every
// ten; the finished deliveries' outcomes retold to the reach counters every
// half hour (the safety net for what changes in bulk); and the daily
// recurrence top-up at 00:10.
func (s *Dispatcher) Schedule(c *clock.Clock) error {
	jobs := []struct {
		spec, name string
		run        func(context.Context) error
	}{
		{"*/2 * * * * *", "dispatch", s.Dispatch},
		{"30 */5 * * * *", "miss-unconfirmed", func(ctx context.Context) error { _, err := s.d.MissUnconfirmed(ctx); return err }},
		{"40 */5 * * * *", "miss-by-hand", func(ctx context.Context) error { _, err := s.d.MissByHand(ctx); return err }},
		{"45 */10 * * * *", "archive-deliveries", func(ctx context.Context) error { _, err := s.d.Archive(ctx); return err }},
		{"0 20,50 * * * *", "tally-delivery-outcomes", s.d.Retell},
		{"0 10 0 * * *", "top-up-recurrences", s.TopUp},
	}
	for _, j := range jobs {
		if err := c.Add(j.spec, j.name, j.run); err != nil {
			return err
		}
	}
	return nil
}

// TopUp materialises every approved item of every commune over the horizon;
// the clock runs it daily and at start, so recurrences keep a 14-day lead.
func (s *Dispatcher) TopUp(ctx context.Context) error {
	items, err := s.items.ApprovedItems(ctx, s.now().In(s.loc).Format(campaigns.DateLayout))
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, err := s.d.Materialize(scoped(ctx, it.CommuneID), it); err != nil {
			return fmt.Errorf("topping up item %s: %w", it.ID, err)
		}
	}
	return nil
}
