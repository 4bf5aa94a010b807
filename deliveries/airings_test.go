package deliveries_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/store"
)

func TestConcurrentAiringConfirmationsHaveOneWinner(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d, _ := b.LoudspeakerSlot()
	replicas := []*deliveries.Service{b.Deliveries, b.Replica("b"), b.Replica("c")}
	aired := time.Date(2026, 11, 23, 6, 2, 0, 0, hcm)
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			got, changed, err := replicas[i%3].MarkAired(b.Ctx, d.ID, aired, "op")
			if err != nil || got.State != deliveries.StateSent || !got.SentAt.Equal(aired) {
				t.Errorf("confirmation %d: %+v %v", i, got, err)
			}
			if changed {
				won.Add(1)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d confirmations changed the delivery, want exactly 1", won.Load())
	}
	if _, _, err := b.Deliveries.MarkSkipped(b.Ctx, d.ID, "mất điện", "op"); !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("skip after airing: %v", err)
	}
	// Another commune cannot touch it.
	other := store.WithScope(context.Background(), store.Scope{CommuneID: "hoa-binh"})
	if _, _, err := b.Deliveries.MarkAired(other, d.ID, aired, "op"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("another commune: %v", err)
	}
}

func TestSkippedAiringStaysMissedAndListed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d, st := b.LoudspeakerSlot()
	got, changed, err := b.Deliveries.MarkSkipped(b.Ctx, d.ID, "Mất điện", "op")
	if err != nil || !changed || got.State != deliveries.StateMissed || !got.Skipped || got.SkipReason != "Mất điện" || got.ConfirmedBy != "op" {
		t.Fatalf("skipped: %+v %v %v", got, changed, err)
	}
	if again, changed, err := b.Deliveries.MarkSkipped(b.Ctx, d.ID, "khác", "op2"); err != nil || changed || again.SkipReason != "Mất điện" {
		t.Errorf("second skip: %+v %v %v", again, changed, err)
	}
	list, err := b.Deliveries.StationAirings(b.Ctx, st.ID, "2026-11-01", "2026-11-30")
	if err != nil || len(list) != 1 || list[0].ID != d.ID {
		t.Fatalf("airings %+v %v", list, err)
	}
	// The clock's end-of-day sweep leaves a reported slot alone.
	b.Clock.Advance(4 * 24 * time.Hour)
	if _, err := b.Deliveries.MissUnconfirmed(b.Ctx); err != nil {
		t.Fatal(err)
	}
	if day, _ := b.Deliveries.CommuneDay(b.Ctx, "2026-11-23"); len(day[st.ID]) != 1 || day[st.ID][0].SkipReason != "Mất điện" {
		t.Errorf("after the sweep: %+v", day)
	}
	// Confirmed after all: sent, and the skip is cleared.
	sent, changed, err := b.Deliveries.MarkAired(b.Ctx, d.ID, time.Date(2026, 11, 23, 6, 40, 0, 0, hcm), "op")
	if err != nil || !changed || sent.State != deliveries.StateSent || sent.Skipped || sent.SkipReason != "" {
		t.Errorf("aired after a skip: %+v %v %v", sent, changed, err)
	}
}

// TestCommuneDayHasNoListingLimit: a commune's loudspeaker day is read
// whole, however many slots its stations have (a rundown must not lose its
// evening), in due order per station.
func TestCommuneDayHasNoListingLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var docs []any
	for i := range deliveries.MaxList + 200 {
		due := time.Date(2026, 11, 23, 5, 0, 0, 0, hcm).Add(time.Duration(i) * time.Minute / 2)
		docs = append(docs, deliveries.Delivery{ID: fmt.Sprintf("d-%04d", i), CommuneID: "lien-minh", Channel: "loudspeaker",
			StationID: fmt.Sprintf("st-%02d", i%30), Day: "2026-11-23", DueAt: due, State: deliveries.StateQueued})
	}
	if _, err := b.DB.Collection("deliveries").InsertMany(b.Ctx, docs); err != nil {
		t.Fatal(err)
	}
	day, err := b.Deliveries.CommuneDay(b.Ctx, "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for st, list := range day {
		n += len(list)
		for i := 1; i < len(list); i++ {
			if list[i].DueAt.Before(list[i-1].DueAt) {
				t.Fatalf("%s out of order at %d", st, i)
			}
		}
	}
	if n != deliveries.MaxList+200 || len(day) != 30 {
		t.Fatalf("%d deliveries on %d stations, want %d on 30", n, len(day), deliveries.MaxList+200)
	}
}
