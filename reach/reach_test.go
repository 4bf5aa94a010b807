package reach_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

type bundle struct {
	db  *mongo.Database
	svc *reach.Service
	ctx context.Context
	now time.Time
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db := storetest.DB(t)
	b := &bundle{db: db, ctx: store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"}),
		now: time.Date(2026, 11, 20, 9, 0, 0, 0, hcm)}
	camps := campaigns.NewService(campaigns.Deps{DB: db, Now: func() time.Time { return b.now }, Location: hcm, Log: slog.New(slog.DiscardHandler)})
	if err := camps.Seed(b.ctx, "lien-minh"); err != nil {
		t.Fatal(err)
	}
	b.svc = reach.NewService(reach.Deps{DB: db, Campaigns: camps, Now: func() time.Time { return b.now }, Location: hcm, Log: slog.New(slog.DiscardHandler)})
	return b
}

func noStations(context.Context) (map[string]int, error) {
	return map[string]int{"Thôn Đông": 120}, nil
}

func i64(v int64) *int64 { return &v }

// TestRollupsEqualARecount records a random mix of events, repeats, manual
// entries, corrections and snapshots, and checks every rollup against a
// recount of the raw events.
func TestRollupsEqualARecount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rng := rand.New(rand.NewPCG(1, 2))
	camps := []string{"lien-minh-gbv-month-2026", "lien-minh-evaw-day-2026", "lien-minh-dv-month-2027"}
	villages := []string{"", "Thôn Đông", "Thôn Tây", "Xóm Đình"}
	latest := map[string]int64{}
	for i := range 400 {
		camp := camps[rng.IntN(len(camps))]
		switch rng.IntN(4) {
		case 0, 1: // airing (sometimes confirmed twice)
			id := fmt.Sprintf("airing|%d", rng.IntN(150))
			v := villages[rng.IntN(len(villages))]
			if _, err := b.svc.Record(b.ctx, reach.Event{ID: id + "|a", CommuneID: "lien-minh", CampaignID: camp, Channel: "loudspeaker",
				Metric: "airings", Value: 1, Village: v, Day: "2026-11-2" + fmt.Sprint(rng.IntN(8)), Source: reach.SourceAiring},
				reach.Event{ID: id + "|l", CommuneID: "lien-minh", CampaignID: camp, Channel: "loudspeaker",
					Metric: "listeners", Value: 120, Village: v, Day: "2026-11-21", Source: reach.SourceAiring}); err != nil {
				t.Fatal(err)
			}
		case 2: // manual entry or correction
			v := int64(rng.IntN(50)) - 10
			_, err := b.svc.AddManual(b.ctx, "editor", reach.ManualEntry{CampaignID: camp, Channel: "print", Metric: "copies",
				Value: &v, Date: "2026-11-22", Village: villages[rng.IntN(len(villages))], Reason: "đếm lại"})
			if err != nil {
				t.Fatal(err)
			}
		case 3: // a platform snapshot of one of a few posts, growing or not
			post := fmt.Sprintf("p%d", rng.IntN(5))
			latest[post] += int64(rng.IntN(40))
			if err := b.svc.RecordSnapshot(b.ctx, reach.Snapshot{CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
				Channel: "facebook", ExternalID: post, Values: map[string]*int64{"reach": i64(latest[post]), "clicks": nil}}); err != nil {
				t.Fatal(err)
			}
			b.now = b.now.Add(time.Duration(i) * time.Second)
		}
	}
	want, err := b.svc.Recount(b.ctx, "lien-minh")
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.svc.Stored(b.ctx, "lien-minh")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d digest values, recount gives %d", len(got), len(want))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %d, recount %d", id, got[id], w)
		}
	}
	// Snapshot semantics: the facebook total is the latest value per post, summed.
	var sumLatest int64
	for _, v := range latest {
		sumLatest += v
	}
	sum, err := b.svc.CampaignSummary(b.ctx, "lien-minh-gbv-month-2026", noStations)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Totals["facebook"]["reach_sum"] != sumLatest || sum.Totals["facebook"]["reach"] != 0 {
		t.Fatalf("facebook totals %v, want reach_sum %d (latest per post)", sum.Totals["facebook"], sumLatest)
	}
	if _, ok := sum.Totals["facebook"]["clicks"]; ok {
		t.Fatal("an unknown metric was counted as 0")
	}
}

func TestRepairRebuildsAfterACrash(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, err := b.svc.Record(b.ctx, reach.Event{ID: "a", CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
		Channel: "loudspeaker", Metric: "airings", Value: 1, Day: "2026-11-20", Source: reach.SourceAiring}); err != nil {
		t.Fatal(err)
	}
	// A crash between storing an event and applying it: stored, not
	// applied, its pending mark left behind.
	if _, err := b.db.Collection("reach_events").InsertOne(b.ctx, reach.Event{ID: "b", CommuneID: "lien-minh",
		CampaignID: "lien-minh-gbv-month-2026", Channel: "loudspeaker", Metric: "airings", Value: 1, Day: "2026-11-20",
		Source: reach.SourceAiring, At: b.now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Collection("reach_pending").InsertOne(b.ctx, bson.M{"_id": "b", "commune_id": "lien-minh",
		"at": b.now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	n, err := b.svc.Repair(b.ctx)
	if err != nil || n != 1 {
		t.Fatalf("repaired %d communes (%v)", n, err)
	}
	if n, err := b.svc.Repair(b.ctx); err != nil || n != 0 {
		t.Fatalf("a second repair rebuilt %d communes (%v): the mark was not cleared", n, err)
	}
	sum, _ := b.svc.CampaignSummary(b.ctx, "lien-minh-gbv-month-2026", noStations)
	if sum.Totals["loudspeaker"]["airings"] != 2 {
		t.Fatalf("after repair: %v", sum.Totals)
	}
}

func TestManualEntryValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ok := reach.ManualEntry{CampaignID: "lien-minh-gbv-month-2026", Channel: "print", Metric: "copies", Value: i64(200), Date: "2026-11-21", Village: "Thôn Đông"}
	bad := map[string]func(e *reach.ManualEntry){
		"campaign_id": func(e *reach.ManualEntry) { e.CampaignID = "xa-khac-gbv-month-2026" },
		"channel":     func(e *reach.ManualEntry) { e.Channel = "tv" },
		"metric":      func(e *reach.ManualEntry) { e.Metric = "likes" },
		"value":       func(e *reach.ManualEntry) { e.Value = nil },
		"reason":      func(e *reach.ManualEntry) { e.Value = i64(-5) },
		"date":        func(e *reach.ManualEntry) { e.Date = "2026-02-30" },
	}
	for field, mutate := range bad {
		e := ok
		mutate(&e)
		if _, err := b.svc.AddManual(b.ctx, "editor", e); err == nil || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	if _, err := b.svc.AddManual(b.ctx, "editor", ok); err != nil {
		t.Fatal(err)
	}
	fix := ok
	fix.Value, fix.Reason = i64(-20), "đếm nhầm 20 tờ"
	if _, err := b.svc.AddManual(b.ctx, "editor", fix); err != nil {
		t.Fatal(err)
	}
	sum, _ := b.svc.CampaignSummary(b.ctx, "lien-minh-gbv-month-2026", noStations)
	if sum.Totals["print"]["copies"] != 180 || len(sum.Villages) != 1 || sum.Villages[0].Metrics["copies"] != 180 {
		t.Fatalf("after a correction: %+v", sum)
	}
	tl, err := b.svc.Timeline(b.ctx, "lien-minh-gbv-month-2026", "copies")
	if err != nil || len(tl) != 1 || tl[0].Value != 180 || tl[0].Date != "2026-11-21" {
		t.Fatalf("timeline %+v %v", tl, err)
	}
}

// TestBulkRecordEqualsARecount loads events in two bulks over digests that
// partly exist (one event recorded before), then repeats one id, and checks
// the digests against a recount each time.
func TestBulkRecordEqualsARecount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mk := func(from, to int) []reach.Event {
		var out []reach.Event
		for i := from; i < to; i++ {
			out = append(out, reach.Event{ID: fmt.Sprintf("bulk-%d", i), CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
				ItemID: fmt.Sprintf("item-%d", i%3), Channel: "loudspeaker", Metric: []string{"airings", "listeners"}[i%2],
				Value: int64(i%7 + 1), Village: []string{"Thôn Đông", "Xóm Đình", ""}[i%3], Day: fmt.Sprintf("2026-11-%02d", 10+i%15),
				Source: reach.SourceAiring})
		}
		return out
	}
	if _, err := b.svc.Record(b.ctx, mk(0, 1)...); err != nil {
		t.Fatal(err)
	}
	check := func() {
		t.Helper()
		want, _ := b.svc.Recount(b.ctx, "lien-minh")
		got, err := b.svc.Stored(b.ctx, "lien-minh")
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("stored %v (%v), recount %v", got, err, want)
		}
	}
	if err := b.svc.BulkRecord(b.ctx, "lien-minh", mk(1, 60)); err != nil {
		t.Fatal(err)
	}
	check()
	if err := b.svc.BulkRecord(b.ctx, "lien-minh", mk(59, 120)); err != nil { // bulk-59 again: rebuilt
		t.Fatal(err)
	}
	check()
}
