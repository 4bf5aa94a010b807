package reach_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// BenchmarkRecordOneOutcome records one delivery's outcome (what the
// dispatcher does as each delivery ends) into five years of months of
// 1,000 deliveries each (bench/reach's archive).
func BenchmarkRecordOneOutcome(b *testing.B) {
	db := storetest.DB(b)
	ctx := store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"})
	now := time.Date(2030, 11, 20, 9, 0, 0, 0, hcm)
	camps := campaigns.NewService(campaigns.Deps{DB: db, Now: func() time.Time { return now }, Location: hcm, Log: slog.New(slog.DiscardHandler)})
	svc := reach.NewService(reach.Deps{DB: db, Campaigns: camps, Now: func() time.Time { return now }, Location: hcm, Log: slog.New(slog.DiscardHandler)})
	var seed []reach.DeliveryOutcome
	for m := range 60 {
		day := time.Date(2026, time.Month(1+m), 10, 0, 0, 0, 0, hcm).Format("2006-01-02")
		for i := range 1000 {
			seed = append(seed, reach.DeliveryOutcome{ID: fmt.Sprintf("d-%d-%d", m, i), ItemID: fmt.Sprintf("item-%d", i%40),
				CampaignID: "lien-minh-gbv-month-2026", Kind: "script", Title: "Bản tin", Channel: "loudspeaker",
				StationID: fmt.Sprintf("st-%d", i%30), Day: day, State: reach.OutcomeSent})
		}
	}
	if err := svc.RecordOutcomes(ctx, seed); err != nil {
		b.Fatal(err)
	}
	// A running service's collections have the _id lookup index; the
	// engine adds it to new ones within five seconds (store/idindex.go).
	time.Sleep(6 * time.Second)
	b.ResetTimer()
	for i := range b.N {
		o := reach.DeliveryOutcome{ID: fmt.Sprintf("new-%d", i), ItemID: "item-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "script",
			Title: "Bản tin", Channel: "loudspeaker", StationID: "st-1", Day: "2030-11-20", State: reach.OutcomeSent}
		if err := svc.RecordOutcomes(ctx, []reach.DeliveryOutcome{o}); err != nil {
			b.Fatal(err)
		}
	}
}
