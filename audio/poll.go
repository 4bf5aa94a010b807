package audio

import (
	"context"
	"time"
)

// Poll says how a provider's pending result is polled: the first wait,
// the growth of the wait (×1.5), its cap, and the deadline of one result.
type Poll struct {
	First, Max, Deadline time.Duration
}

// DefaultPoll suits FPT.AI, whose documentation says the audio appears
// after 5 s to 2 min depending on the text's length.
var DefaultPoll = Poll{First: time.Second, Max: 8 * time.Second, Deadline: 3 * time.Minute}

func (p Poll) orDefault() Poll {
	if p.First <= 0 {
		p.First = DefaultPoll.First
	}
	if p.Max < p.First {
		p.Max = max(DefaultPoll.Max, p.First)
	}
	if p.Deadline <= 0 {
		p.Deadline = DefaultPoll.Deadline
	}
	return p
}

// until calls try after growing waits until it reports done, fails, or the
// deadline passes; it returns false on the deadline. ctx's end stops it
// with ctx's error.
func (p Poll) until(ctx context.Context, try func() (done bool, err error)) (bool, error) {
	p = p.orDefault()
	deadline := time.NewTimer(p.Deadline)
	defer deadline.Stop()
	wait := p.First
	for {
		done, err := try()
		if done || err != nil {
			return done, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		case <-deadline.C:
			t.Stop()
			return false, nil
		case <-t.C:
		}
		wait = min(p.Max, wait*3/2)
	}
}
