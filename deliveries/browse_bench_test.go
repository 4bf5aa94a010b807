package deliveries_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lantoa/lantoa/deliveries"
)

// BenchmarkBrowse reads pages of deliveries over five years of one commune
// shaped like bench/reach's (60,000 archived deliveries, about 1,000 a
// month, and 2,200 in the hot collection: a fortnight of 30 stations),
// after the archive job's first run filed the archive into its digests
// (reported once as backfill-ms), and the dispatcher's due scan of that
// hot collection (due-scan), and the same tick answered from the last
// scan's memory (due-idle: what an idle replica's tick costs).
//
//	go test ./deliveries -run '^$' -bench Browse -benchtime 20x
func BenchmarkBrowse(b *testing.B) {
	bd := setup(b)
	bd.Clock.Advance((4*365 + 1) * 24 * time.Hour) // 2030-11-20
	now := bd.Clock.Now()
	var hot, old []any
	for i := range 62_000 {
		due := now.Add(-time.Duration(i) * 43 * time.Minute).Add(14 * 24 * time.Hour)
		d := deliveries.Delivery{ID: fmt.Sprintf("d%06d", i), CommuneID: "lien-minh", ItemID: fmt.Sprintf("it-%d", i%1500),
			CampaignID: fmt.Sprintf("c-%d", i%75), Kind: "script", Title: "Bản tin phát thanh số " + fmt.Sprint(i%1500),
			Channel: "loudspeaker", StationID: fmt.Sprintf("st-%d", i%30), DueAt: due.UTC(), Day: due.In(hcm).Format("2006-01-02"),
			Slot: due.In(hcm).Format("15:04"), State: deliveries.StateSent, RunAt: due.UTC(), GraceFrom: due.UTC()}
		switch {
		case due.After(now):
			d.State = deliveries.StateQueued
		case i%17 == 0:
			d.State, d.LastError = deliveries.StateMissed, "no airing was confirmed on its day"
		case i%97 == 0:
			d.State, d.Channel, d.StationID, d.LastError = deliveries.StateDead, "zalo", "", "permanent -201: policy"
		}
		fin := due.Add(time.Hour)
		if d.State != deliveries.StateQueued {
			d.FinishedAt, d.SentAt = &fin, &fin
		}
		if d.State == deliveries.StateQueued || fin.After(now.Add(-deliveries.ArchiveAfter)) {
			hot = append(hot, d)
		} else {
			old = append(old, d)
		}
	}
	for _, part := range []struct {
		coll string
		docs []any
	}{{"deliveries", hot}, {"deliveries_archive", old}} {
		for i := 0; i < len(part.docs); i += 5000 {
			if _, err := bd.DB.Collection(part.coll).InsertMany(context.Background(), part.docs[i:min(i+5000, len(part.docs))]); err != nil {
				b.Fatal(err)
			}
		}
	}
	start := time.Now()
	if _, err := bd.Deliveries.Archive(context.Background()); err != nil {
		b.Fatal(err)
	}
	backfill := time.Since(start)
	time.Sleep(6 * time.Second) // the engine indexes _id lookups of new collections within 5 s (store/idindex.go)
	b.Logf("%d hot, %d archived; backfill %s", len(hot), len(old), backfill.Round(time.Millisecond))
	for _, c := range []struct {
		name string
		q    deliveries.BrowseQuery
	}{
		{"problems-30-days", deliveries.BrowseQuery{State: deliveries.Problems}},
		{"all-30-days", deliveries.BrowseQuery{}},
		{"all-a-year", deliveries.BrowseQuery{From: "2030-01-01", To: "2030-12-31"}},
		{"problems-five-years", deliveries.BrowseQuery{State: deliveries.Problems, From: "2026-01-01"}},
		{"sent-a-month-oldest", deliveries.BrowseQuery{State: deliveries.StateSent, From: "2029-05-01", To: "2029-05-31", Oldest: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var p deliveries.BrowsePage
			for range b.N {
				var err error
				if p, err = bd.Deliveries.Browse(bd.Ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Total), "matches")
		})
	}
	// The dispatcher's scan over the same hot collection, by a replica
	// without stamps (every call scans): its filter is not pushed down, so
	// it costs a decode of every hot delivery whatever it returns.
	scanner := bd.StampedReplica("scanner", nil)
	b.Run("due-scan", func(b *testing.B) {
		var due []deliveries.Candidate
		for range b.N {
			var err error
			if due, err = scanner.DueWithin(bd.Ctx, 1800*time.Millisecond); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(due)), "due")
	})
	// The same tick on a replica with stamps (as the service runs): the
	// last scan found nothing due, and nothing was written since, so the
	// tick reads nothing but the due stamp (at most once a second: every
	// tick, 2 s apart, so here every call: bd.Deliveries reads it every
	// time).
	if due, err := bd.Deliveries.DueWithin(bd.Ctx, 1800*time.Millisecond); err != nil || len(due) != 0 {
		b.Fatalf("first scan: %d due, %v", len(due), err)
	}
	b.Run("due-idle", func(b *testing.B) {
		for range b.N {
			if due, err := bd.Deliveries.DueWithin(bd.Ctx, 1800*time.Millisecond); err != nil || len(due) != 0 {
				b.Fatalf("%d due, %v", len(due), err)
			}
		}
	})
}
