package deliveries

import (
	"context"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Outcomes are recorded with a group commit: a Settle that finds no write
// under way starts one, and every Settle arriving meanwhile joins the next
// one. A burst of sends ending together costs two round trips per group
// (takeSeqs and writeAll) instead of two each, and the outcome recorder is
// told once per commune and group; a lone Settle costs what it always did.

// pendingSettle is one outcome waiting for its group.
type pendingSettle struct {
	d    Delivery // as last seen; as recorded once done
	o    Outcome
	ok   bool
	done chan struct{}
}

// settleQueue is the outcomes waiting to be written, and whether a writer
// is running.
type settleQueue struct {
	mu      sync.Mutex
	pending []*pendingSettle
	writing bool
}

// Settle records o on d (a delivery this replica claimed, or a candidate of
// its last Due scan), as seen at its sequence number, if this replica can
// still take the next number, and tells the outcome recorder of a final
// one. It reports whether it recorded it; it returns once recorded (or
// not), and once the recorder was told.
func (s *Service) Settle(ctx context.Context, d Delivery, o Outcome) bool {
	p := &pendingSettle{d: d, o: o, done: make(chan struct{})}
	q := &s.settles
	q.mu.Lock()
	q.pending = append(q.pending, p)
	lead := !q.writing
	q.writing = true
	q.mu.Unlock()
	if lead {
		// Written apart from ctx: an outcome is recorded even when the
		// caller that happened to start the group gives up.
		go s.writeSettles(context.WithoutCancel(ctx))
	}
	<-p.done
	return p.ok
}

// writeSettles writes the queued outcomes a group at a time until none is
// left.
func (s *Service) writeSettles(ctx context.Context) {
	q := &s.settles
	for {
		q.mu.Lock()
		group := q.pending
		q.pending = nil
		if len(group) == 0 {
			q.writing = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		s.settleGroup(ctx, group)
	}
}

// settleGroup records a group of outcomes and tells the recorder of the
// final ones, then lets their callers go.
func (s *Service) settleGroup(ctx context.Context, group []*pendingSettle) {
	defer func() {
		for _, p := range group {
			close(p.done)
		}
	}()
	ids, seqs := make([]string, len(group)), make([]int, len(group))
	for i, p := range group {
		ids[i], seqs[i] = p.d.ID, p.d.Seq+1
	}
	won, err := s.takeSeqs(ctx, ids, seqs)
	if err != nil {
		s.log.Error("recording delivery outcomes", "deliveries", len(group), "err", err)
		return
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	var ds []Delivery
	var models []mongo.WriteModel
	var writing []*pendingSettle
	for i, p := range group {
		seq := seqs[i]
		if !won[i] {
			var w bool
			if seq, w, _, err = s.takeAfterDead(ctx, p.d.ID, seq); err != nil || !w {
				if err != nil {
					s.log.Error("recording delivery outcome", "delivery", p.d.ID, "err", err)
				} else {
					s.log.Warn("delivery outcome not recorded: another replica took it over", "delivery", p.d.ID)
				}
				continue
			}
		}
		d, update := settled(p.d, p.o, seq, now)
		ds, writing = append(ds, d), append(writing, p)
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": d.ID}).SetUpdate(update))
	}
	written, err := s.writeAll(ctx, ds, models, "recording delivery outcome")
	if err != nil {
		s.log.Error("recording delivery outcomes", "deliveries", len(ds), "err", err)
		return
	}
	byID := make(map[string]Delivery, len(written))
	for _, d := range written {
		byID[d.ID] = d
	}
	var ended []Delivery
	again := false
	for _, p := range writing {
		if d, ok := byID[p.d.ID]; ok {
			p.d, p.ok = d, true
			if final(d.State) {
				ended = append(ended, d)
			} else {
				again = true
			}
		}
	}
	if again {
		// A retry time may come before the lease end that other replicas
		// saw, and this replica may stop before it (due.go).
		s.dueChanged(ctx)
	}
	s.recordOutcomes(ctx, ended)
}
