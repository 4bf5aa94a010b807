package scheduler

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// pullChannels are not pushed: loudspeaker scripts wait for the operator's
// airing confirmation and become missed at the end of their day.
var pullChannels = []string{"loudspeaker"}

// batch is how many due deliveries one scan reads.
const batch = 500

// candidate is what a scan reads of a due delivery.
type candidate struct {
	ID        string    `bson:"_id"`
	State     string    `bson:"state"`
	Channel   string    `bson:"channel"`
	CommuneID string    `bson:"commune_id"`
	GraceFrom time.Time `bson:"grace_from"`
	Seq       int       `bson:"seq"`
	RunAt     time.Time `bson:"run_at"`
}

// Dispatch claims and starts every due delivery it can, scanning again while
// scans come back full, and returns once all are started (not finished). A
// delivery is due when queued or failed with run_at passed, or sending with
// its lease expired (its owner died: it is reconciled before any resend).
func (s *Scheduler) Dispatch(ctx context.Context) error {
	for {
		if s.isStopping() {
			return nil
		}
		due, err := s.due(ctx)
		if err != nil {
			return err
		}
		paused, err := s.pausedChannels(ctx)
		if err != nil {
			return err
		}
		byChannel := map[string][]candidate{}
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
		if len(due) < batch {
			return nil
		}
	}
}

// due reads the due deliveries in one scan, oldest first.
func (s *Scheduler) due(ctx context.Context) ([]candidate, error) {
	cur, err := s.hot.Find(ctx, bson.M{
		"state":   bson.M{"$in": []string{StateQueued, StateFailed, StateSending}},
		"run_at":  bson.M{"$lte": s.now().UTC()},
		"channel": bson.M{"$nin": pullChannels},
	}, options.Find().SetSort(bson.D{{Key: "run_at", Value: 1}}).SetLimit(batch).
		SetProjection(bson.M{"state": 1, "channel": 1, "commune_id": 1, "grace_from": 1, "seq": 1, "run_at": 1}))
	if err != nil {
		return nil, fmt.Errorf("scanning due deliveries: %w", err)
	}
	var out []candidate
	return out, cur.All(ctx, &out)
}

// feed claims one channel's candidates as send slots free up and starts each.
func (s *Scheduler) feed(ctx context.Context, channel string, list []candidate) {
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
		if c.State == StateSending && s.now().Before(c.RunAt.Add(s.opt.SkewMargin)) {
			<-sem
			continue // the owner's lease may look expired only because our clock runs ahead
		}
		if s.ByHand(c.Channel) && c.State != StateSending {
			s.handOver(ctx, c) // a person posts it: its own window, not the grace (byhand.go)
			<-sem
			continue
		}
		if s.misfired(c) {
			s.markMissed(ctx, c)
			<-sem
			continue
		}
		d, ok, err := s.claim(ctx, c)
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
func (s *Scheduler) misfired(c candidate) bool {
	return c.State != StateSending && s.now().Sub(c.GraceFrom) > s.opt.Grace[c.Channel]
}

func (s *Scheduler) markMissed(ctx context.Context, c candidate) {
	late := s.now().Sub(c.GraceFrom).Round(time.Minute)
	s.finish(ctx, c.ID, c.Seq, StateMissed,
		bson.M{"last_error": fmt.Sprintf("missed: found %s late, beyond the %s window of %s", late, s.opt.Grace[c.Channel], c.Channel)})
}

func (s *Scheduler) sem(channel string) chan struct{} {
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
func (s *Scheduler) Stop(ctx context.Context) {
	s.stopOnce.Do(func() { close(s.stopping) })
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.log.Warn("scheduler stopped with sends still in flight; their leases will expire and they will be reconciled")
	}
}

func (s *Scheduler) isStopping() bool {
	select {
	case <-s.stopping:
		return true
	default:
		return false
	}
}

// Wait blocks until the sends in flight have recorded their outcome.
func (s *Scheduler) Wait() { s.inflight.Wait() }
