package dispatch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/lantoa/lantoa/deliveries"
)

// Dispatch claims and starts every due delivery it can, scanning again while
// scans come back full, and returns once all are started (not finished). A
// delivery is due when queued or failed with run_at passed, or sending with
// its lease expired (its owner died: it is reconciled before any resend).
// The scan also reads what falls due within Options.LookAhead, and those
// are started at their time in the background (Wait waits for them too),
// so that a post is not left waiting for the next tick of the clock, and
// Dispatch never runs into that tick.
func (s *Dispatcher) Dispatch(ctx context.Context) error {
	started := time.Now()
	for {
		if s.isStopping() {
			return nil
		}
		due, err := s.d.DueWithin(ctx, s.opt.LookAhead)
		if err != nil {
			return err
		}
		now, later := s.splitDue(due)
		if err := s.feedAll(ctx, now); err != nil {
			return err
		}
		if len(due) < deliveries.Batch {
			if len(later) > 0 {
				s.inflight.Add(1)
				go func() {
					defer s.inflight.Done()
					if err := s.atTheirTime(ctx, later, started.Add(s.opt.LookAhead)); err != nil {
						s.log.Error("dispatching deliveries at their time", "err", err)
					}
				}()
			}
			return nil
		}
	}
}

// splitDue splits a scan into the deliveries due now and those falling due
// later, in the order of their run_at.
func (s *Dispatcher) splitDue(due []deliveries.Candidate) (now, later []deliveries.Candidate) {
	at := s.now()
	for _, c := range due {
		if c.RunAt.After(at) {
			later = append(later, c)
		} else {
			now = append(now, c)
		}
	}
	return now, later
}

// atTheirTime starts each of later (in run_at order) once it is due, until
// the deadline; what is not due by then is the next scan's. A delivery the
// next tick's scan finds too is claimed by one of them only (its sequence
// number).
func (s *Dispatcher) atTheirTime(ctx context.Context, later []deliveries.Candidate, deadline time.Time) error {
	for len(later) > 0 {
		wait := later[0].RunAt.Sub(s.now())
		if time.Now().Add(wait).After(deadline) {
			return nil
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-s.stopping:
				t.Stop()
				return nil
			case <-ctx.Done():
				t.Stop()
				return nil
			}
		}
		now, rest := s.splitDue(later)
		if len(now) == 0 {
			return nil // the clock did not move (a test's clock): the next scan's
		}
		if err := s.feedAll(ctx, now); err != nil {
			return err
		}
		later = rest
	}
	return nil
}

// feedAll feeds each channel's share of due (not paused) to its own feed,
// and returns once all are started.
func (s *Dispatcher) feedAll(ctx context.Context, due []deliveries.Candidate) error {
	if len(due) == 0 {
		return nil
	}
	paused, err := s.pausedChannels(ctx)
	if err != nil {
		return err
	}
	byChannel := map[string][]deliveries.Candidate{}
	for _, c := range due {
		if !paused[c.CommuneID+"|"+c.Channel] {
			byChannel[c.Channel] = append(byChannel[c.Channel], c)
		}
	}
	done := make(chan struct{}, len(byChannel))
	for ch, list := range byChannel {
		go func() { s.feed(ctx, ch, list); done <- struct{}{} }()
	}
	for range byChannel {
		<-done
	}
	return nil
}

// feed claims one channel's candidates as send slots free up and starts
// each: every claim takes as many candidates as there are free slots, in
// one batch (deliveries.Service.ClaimBatch: two round trips however many).
// Replicas start their walk through the list at a random place, so that
// those scanning the same due deliveries at once mostly claim different
// ones rather than all racing for the first. A batch with claims lost means
// the walk has run into what another replica is claiming, in the same
// order: it skips ahead, twice as far after each such batch in a row, so
// that replicas do not trail one another through each other's claims (each
// lost claim is a failed insert, and it makes the batch's won claims commit
// one by one). What a skip passes over is another replica's, or the next
// scan's.
func (s *Dispatcher) feed(ctx context.Context, channel string, list []deliveries.Candidate) {
	sem := s.sem(channel)
	if len(list) > 1 {
		k := rand.IntN(len(list))
		list = append(list[k:len(list):len(list)], list[:k]...)
	}
	var missed sync.WaitGroup
	defer missed.Wait()
	skip := 0
	for len(list) > 0 {
		n := s.slots(ctx, sem, len(list))
		if n == 0 {
			return
		}
		var batch []deliveries.Candidate
		paused := false
		for len(list) > 0 && len(batch) < n && !paused {
			c := list[0]
			switch {
			case s.pausedHere(c.CommuneID, c.Channel):
				paused = true // a send of this batch paused the channel
				continue
			case s.d.ByHand(c.Channel) && c.State != deliveries.StateSending:
				s.d.HandOver(ctx, c) // a person posts it: its own window, not the grace
			case s.misfired(c):
				missed.Go(func() { s.markMissed(ctx, c) }) // settled together (Settle's group commit)
			default:
				batch = append(batch, c)
			}
			list = list[1:]
		}
		started := s.start(ctx, batch)
		for range n - started {
			<-sem
		}
		if paused {
			return
		}
		if started < len(batch) {
			skip = max(1, 2*skip)
			list = list[min(skip, len(list)):]
		} else {
			skip = 0
		}
	}
}

// slots waits for a free send slot of the channel, then takes every other
// one free now, up to most; it returns how many it took (none once the
// dispatcher is stopping or ctx ends).
func (s *Dispatcher) slots(ctx context.Context, sem chan struct{}, most int) int {
	select {
	case sem <- struct{}{}:
	case <-s.stopping:
		return 0
	case <-ctx.Done():
		return 0
	}
	n := 1
	for n < most {
		select {
		case sem <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

// start claims a batch of candidates and starts sending each one it took,
// each holding one send slot until its outcome is recorded. It returns how
// many it started.
func (s *Dispatcher) start(ctx context.Context, batch []deliveries.Candidate) int {
	if len(batch) == 0 {
		return 0
	}
	claimed, err := s.d.ClaimBatch(ctx, batch)
	if err != nil {
		s.log.Error("claiming deliveries", "deliveries", len(batch), "err", err)
		return 0
	}
	for _, d := range claimed {
		s.inflight.Add(1)
		go func() {
			defer func() { <-s.sem(d.Channel); s.inflight.Done() }()
			s.process(context.WithoutCancel(ctx), d)
		}()
	}
	return len(claimed)
}

// misfired reports whether a due delivery is later than its channel's grace
// window and must not go out any more. A delivery that may already be on
// the platform (left sending by a dead owner) is reconciled first instead.
func (s *Dispatcher) misfired(c deliveries.Candidate) bool {
	return c.State != deliveries.StateSending && s.now().Sub(c.GraceFrom) > s.opt.Grace[c.Channel]
}

func (s *Dispatcher) markMissed(ctx context.Context, c deliveries.Candidate) {
	late := s.now().Sub(c.GraceFrom).Round(time.Minute)
	s.d.Settle(ctx, c.Delivery(), deliveries.Outcome{State: deliveries.StateMissed,
		Error: fmt.Sprintf("missed: found %s late, beyond the %s window of %s", late, s.opt.Grace[c.Channel], c.Channel)})
}

func (s *Dispatcher) sem(channel string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sems[channel] == nil {
		s.sems[channel] = make(chan struct{}, s.opt.Concurrency)
	}
	return s.sems[channel]
}

// Stop stops claiming and waits (at most until ctx ends) for the sends in
// flight to finish and record their outcome. Nothing is claimed and left
// unstarted, so nothing needs releasing.
func (s *Dispatcher) Stop(ctx context.Context) {
	s.stopOnce.Do(func() { close(s.stopping) })
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.log.Warn("dispatcher stopped with sends still in flight; their leases will expire and they will be reconciled")
	}
}

func (s *Dispatcher) isStopping() bool {
	select {
	case <-s.stopping:
		return true
	default:
		return false
	}
}

// Wait blocks until the sends in flight have recorded their outcome.
func (s *Dispatcher) Wait() { s.inflight.Wait() }
