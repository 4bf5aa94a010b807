package dispatch

import (
	"context"
	"fmt"
	"time"

	"github.com/lantoa/lantoa/deliveries"
)

// Dispatch claims and starts every due delivery it can, scanning again while
// scans come back full, and returns once all are started (not finished). A
// delivery is due when queued or failed with run_at passed, or sending with
// its lease expired (its owner died: it is reconciled before any resend).
func (s *Dispatcher) Dispatch(ctx context.Context) error {
	for {
		if s.isStopping() {
			return nil
		}
		due, err := s.d.Due(ctx)
		if err != nil {
			return err
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
		if len(due) < deliveries.Batch {
			return nil
		}
	}
}

// feed claims one channel's candidates as send slots free up and starts each.
func (s *Dispatcher) feed(ctx context.Context, channel string, list []deliveries.Candidate) {
	sem := s.sem(channel)
	for _, c := range list {
		select {
		case sem <- struct{}{}:
		case <-s.stopping:
			return
		case <-ctx.Done():
			return
		}
		if s.pausedHere(c.CommuneID, c.Channel) {
			<-sem
			return // a send of this batch paused the channel
		}
		if s.d.ByHand(c.Channel) && c.State != deliveries.StateSending {
			s.d.HandOver(ctx, c) // a person posts it: its own window, not the grace
			<-sem
			continue
		}
		if s.misfired(c) {
			s.markMissed(ctx, c)
			<-sem
			continue
		}
		d, ok, err := s.d.Claim(ctx, c)
		if err != nil || !ok {
			if err != nil {
				s.log.Error("claiming delivery", "delivery", c.ID, "err", err)
			}
			<-sem
			continue
		}
		s.inflight.Add(1)
		go func() {
			defer func() { <-sem; s.inflight.Done() }()
			s.process(context.WithoutCancel(ctx), d)
		}()
	}
}

// misfired reports whether a due delivery is later than its channel's grace
// window and must not go out any more. A delivery that may already be on
// the platform (left sending by a dead owner) is reconciled first instead.
func (s *Dispatcher) misfired(c deliveries.Candidate) bool {
	return c.State != deliveries.StateSending && s.now().Sub(c.GraceFrom) > s.opt.Grace[c.Channel]
}

func (s *Dispatcher) markMissed(ctx context.Context, c deliveries.Candidate) {
	late := s.now().Sub(c.GraceFrom).Round(time.Minute)
	s.d.Settle(ctx, c.ID, c.Seq, deliveries.Outcome{State: deliveries.StateMissed,
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
