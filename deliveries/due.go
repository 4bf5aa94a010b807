package deliveries

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/stamps"
)

// The due scan is the dispatcher's standing cost: its filter is not pushed
// down on the embedded store, so each scan decodes the whole hot
// collection (41–52 ms for a fortnight of 30 stations), every tick (2 s)
// of every replica, holding the one store connection meanwhile. Most
// ticks find nothing due. So a Service remembers what its last scan
// learned when it found nothing due, the earliest run_at of the pending
// deliveries, and answers the next scans from that memory, without
// reading, while all of these hold:
//
//   - that run_at is still beyond the scan's window (now + ahead);
//   - the stamp stamps.Due has not moved (dueChanged): every replica bumps
//     it after materialising, requeueing or retrying a delivery, and after
//     an outcome that leaves one waiting (a retry time, a paused channel),
//     what no other replica can foresee; a replica sees its own bumps at
//     once, the others' within a second;
//   - the scan is less than DueRescan old, for what no stamp announces (an
//     edit made by hand in the database, a bump that failed, an import
//     that stopped half way).
//
// Another replica's claims and renewals need no stamp: they change only
// deliveries that were due, which every replica's memory ends at, and
// move their run_at to the end of a lease, so if that replica dies its
// deliveries come back to the others at that time, as they always did.
// Without stamps (Deps.Stamps nil) every call scans.

// DueRescan bounds how long a due scan is remembered.
const DueRescan = 30 * time.Second

// pending lists the states a Due scan looks at.
var pending = []string{StateQueued, StateFailed, StateSending}

// dueMemo is what the last due scan learned, and what it was read against.
type dueMemo struct {
	mu      sync.Mutex
	known   bool      // a scan recorded what follows
	version int64     // stamps.Due, read before that scan
	at      time.Time // when it ran, on the service's clock
	next    time.Time // the earliest run_at it left out; zero: none
}

// quiet reports whether m tells that nothing falls due by until, at now,
// for a scan at stamp version v.
func (m *dueMemo) quiet(v int64, now, until time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	age := now.Sub(m.at)
	return m.known && m.version == v && age >= 0 && age < DueRescan && (m.next.IsZero() || until.Before(m.next))
}

func (m *dueMemo) record(known bool, v int64, at, next time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.known, m.version, m.at, m.next = known, v, at, next
}

// dueChanged bumps stamps.Due after a write that puts deliveries in line
// to be sent that no replica's last scan can have foreseen.
func (s *Service) dueChanged(ctx context.Context) { s.stamps.Bump(ctx, stamps.Due) }

// Due reads up to Batch due deliveries of the pushed channels in one scan,
// oldest first: queued or failed with run_at passed, or sending with its
// lease expired (its owner died: Claim marks it for reconciliation).
func (s *Service) Due(ctx context.Context) ([]Candidate, error) { return s.DueWithin(ctx, 0) }

// DueWithin is Due with the deliveries falling due within ahead of now too
// (their RunAt is later than now), so that the dispatcher can claim them at
// their time without scanning again. A call that the last scan's memory
// answers (see the top of this file) reads nothing.
func (s *Service) DueWithin(ctx context.Context, ahead time.Duration) ([]Candidate, error) {
	now := s.now()
	until := now.Add(ahead)
	// The stamp is read before the scan, as a cache reads its stamp before
	// its data (package stamps).
	var v int64
	remember := s.stamps != nil
	if remember {
		var err error
		if v, err = s.stamps.Version(ctx, stamps.Due); err != nil {
			// The store does not answer: a scan would wait as long again.
			return nil, fmt.Errorf("scanning due deliveries: %w", err)
		}
		if s.due.quiet(v, now, until) {
			return nil, nil
		}
	}
	// The pending deliveries in run_at order, those beyond the window
	// included: the first of them is what the memory needs, and on the
	// embedded store the scan costs the same (it decodes every delivery).
	cur, err := s.hot.Find(ctx, bson.M{
		"state":   bson.M{"$in": pending},
		"channel": bson.M{"$nin": PullChannels},
	}, options.Find().SetSort(bson.D{{Key: "run_at", Value: 1}}).SetLimit(Batch))
	if err != nil {
		return nil, fmt.Errorf("scanning due deliveries: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var out []Candidate
	var next time.Time
	for cur.Next(ctx) {
		var d Delivery
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("scanning due deliveries: %w", err)
		}
		if d.RunAt.IsZero() {
			continue // no run_at (an edit by hand): never due, as before
		}
		if d.RunAt.After(until) {
			next = d.RunAt
			break
		}
		out = append(out, Candidate{ID: d.ID, State: d.State, Channel: d.Channel, CommuneID: d.CommuneID, GraceFrom: d.GraceFrom,
			Seq: d.Seq, RunAt: d.RunAt, d: d})
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("scanning due deliveries: %w", err)
	}
	if remember {
		// Only a scan that found nothing in its window is remembered: what
		// it returns may be left for the next scan (a paused channel, a
		// lease within the skew margin, a look-ahead past its deadline).
		s.due.record(len(out) == 0, v, now, next)
	}
	return out, nil
}
