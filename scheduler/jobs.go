package scheduler

import (
	"context"

	"github.com/lantoa/lantoa/clock"
)

// Schedule puts the scheduler's work on the clock: dispatch every two
// seconds, unconfirmed loudspeaker slots and posts nobody made by hand
// marked missed every five minutes,
// archiving every ten, and the daily recurrence top-up at 00:10.
func (s *Scheduler) Schedule(c *clock.Clock) error {
	jobs := []struct {
		spec, name string
		run        func(context.Context) error
	}{
		{"*/2 * * * * *", "dispatch", s.Dispatch},
		{"30 */5 * * * *", "miss-unconfirmed", func(ctx context.Context) error { _, err := s.MissUnconfirmed(ctx); return err }},
		{"40 */5 * * * *", "miss-by-hand", func(ctx context.Context) error { _, err := s.MissByHand(ctx); return err }},
		{"45 */10 * * * *", "archive-deliveries", func(ctx context.Context) error { _, err := s.Archive(ctx); return err }},
		{"0 10 0 * * *", "top-up-recurrences", s.TopUp},
	}
	for _, j := range jobs {
		if err := c.Add(j.spec, j.name, j.run); err != nil {
			return err
		}
	}
	return nil
}
