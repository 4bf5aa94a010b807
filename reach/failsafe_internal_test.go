package reach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

var errInjected = errors.New("injected write failure")

// figures is every summary a person reads from reach: the campaign and the
// year, the digests themselves and the annual report's outcome counts.
type figures struct {
	Campaign, Year Summary
	Leaves         Leaves
	Outcomes       YearOutcomes
}

func failsafeSetup(t *testing.T) (*Service, context.Context, func() figures) {
	t.Helper()
	db := storetest.DB(t)
	ctx := store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"})
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	camps := campaigns.NewService(campaigns.Deps{DB: db, Now: clock, Location: time.UTC, Log: slog.New(slog.DiscardHandler)})
	if err := camps.Seed(ctx, "lien-minh"); err != nil {
		t.Fatal(err)
	}
	s := NewService(Deps{DB: db, Campaigns: camps, Now: clock, Location: time.UTC, Log: slog.New(slog.DiscardHandler)})
	households := func(context.Context) (map[string]int, error) { return map[string]int{"Thôn Đông": 120}, nil }
	read := func() figures {
		t.Helper()
		var f figures
		var err error
		if f.Campaign, err = s.CampaignSummary(ctx, "lien-minh-gbv-month-2026", households); err != nil {
			t.Fatal(err)
		}
		if f.Year, err = s.YearSummary(ctx, 2026, households); err != nil {
			t.Fatal(err)
		}
		if f.Leaves, err = s.Stored(ctx, "lien-minh"); err != nil {
			t.Fatal(err)
		}
		if f.Outcomes, err = s.Outcomes(ctx, 2026); err != nil {
			t.Fatal(err)
		}
		return f
	}
	// Figures worth losing: villages with odd names, items, several days.
	for i, v := range []string{"Thôn Đông", "Xóm 1.2", " $lead", "Thôn\x00Tây"} {
		if _, err := s.Record(ctx, Event{ID: fmt.Sprintf("e%d", i), CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
			ItemID: "it1", Channel: "print", Metric: "copies", Value: int64(10 * (i + 1)), Village: v,
			Day: fmt.Sprintf("2026-11-%02d", 15+i), Source: SourceManual}); err != nil {
			t.Fatalf("recording village %q: %v", v, err)
		}
	}
	if err := s.RecordOutcomes(ctx, []DeliveryOutcome{{ID: "d1", ItemID: "it1", CampaignID: "lien-minh-gbv-month-2026",
		Kind: "script", Title: "Loa", Channel: "loudspeaker", StationID: "st1", Day: "2026-11-16", State: OutcomeSent}}); err != nil {
		t.Fatal(err)
	}
	return s, ctx, read
}

// failAfter fails every write after the first n.
func failAfter(n int) func(string) error {
	return func(string) error {
		if n <= 0 {
			return errInjected
		}
		n--
		return nil
	}
}

func nonZero(l Leaves) Leaves {
	out := Leaves{}
	for k, v := range l {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// dropZeroTotals removes the zero totals that taken-back increments of a
// metric new to the campaign leave until the repair job rebuilds.
func dropZeroTotals(totals map[string]map[string]int64) {
	for ch, metrics := range totals {
		for m, v := range metrics {
			if v == 0 {
				delete(metrics, m)
			}
		}
		if len(metrics) == 0 {
			delete(totals, ch)
		}
	}
}

// failOnly fails the write after the first n, and no other.
func failOnly(n int) func(string) error {
	return func(string) error {
		n--
		if n == -1 {
			return errInjected
		}
		return nil
	}
}

// TestJobsThatCannotWriteLeaveEveryFigure injects a failing write into each
// background job, at every write it makes, and checks that every summary
// is as it was (issue 13: no job writes an empty or partial digest over a
// good one).
func TestJobsThatCannotWriteLeaveEveryFigure(t *testing.T) {
	t.Parallel()
	s, ctx, read := failsafeSetup(t)
	before := read()
	if len(before.Leaves) == 0 || before.Campaign.Totals["print"]["copies"] != 100 {
		t.Fatalf("set-up recorded nothing: %+v", before.Campaign.Totals)
	}
	// A repair is due: an interrupted recording left its mark.
	if _, err := s.pending.InsertOne(ctx, pendingMark{ID: "e0", CommuneID: "lien-minh", At: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]func() error{
		"repair": func() error { _, err := s.Repair(ctx); return err },
		"tally": func() error {
			return s.RecordOutcomes(ctx, []DeliveryOutcome{{ID: "d2", ItemID: "it1", CampaignID: "lien-minh-gbv-month-2026",
				Kind: "script", Title: "Loa", Channel: "loudspeaker", StationID: "st1", Day: "2026-11-17", State: OutcomeMissed}})
		},
		"snapshot": func() error {
			v := int64(500)
			return s.RecordSnapshot(ctx, Snapshot{CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026", ItemID: "it1",
				Channel: "facebook", ExternalID: "p1", Values: map[string]*int64{"reach": &v}})
		},
		"record": func() error { // two events in one call share their digests, as an airing's do
			_, err := s.Record(ctx, Event{ID: "e9", CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
				Channel: "print", Metric: "copies", Value: 7, Village: "Thôn Mới", Day: "2026-11-18", Source: SourceManual},
				Event{ID: "e10", CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
					Channel: "print", Metric: "households", Value: 3, Village: "Thôn Mới", Day: "2026-11-18", Source: SourceManual})
			return err
		},
	}
	for _, name := range []string{"repair", "tally", "snapshot", "record"} {
		job := jobs[name]
		for n := 0; n < 20; n++ {
			fail := failAfter(n)
			if name == "record" {
				// A request's recording takes back what it added when one
				// write fails (a store that stays down is the repair's job,
				// below).
				fail = failOnly(n)
			}
			s.failWrite, s.Counters.failWrite = fail, fail
			err := job()
			s.failWrite, s.Counters.failWrite = nil, nil
			if err == nil {
				before = read() // the job wrote all it had to: its result is the new last good one
				break
			}
			if !errors.Is(err, errInjected) {
				t.Fatalf("%s failing at write %d: %v, not the injected failure", name, n+1, err)
			}
			after := read()
			if name == "record" {
				// Taken-back increments may leave zero entries until the
				// repair job rebuilds (TestRecordingWhileTheStoreFailsIsRepaired).
				after.Leaves = nonZero(after.Leaves)
				after.Campaign.Villages, after.Year.Villages = before.Campaign.Villages, before.Year.Villages
				dropZeroTotals(after.Campaign.Totals)
				dropZeroTotals(after.Year.Totals)
			}
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("%s failing at write %d changed the figures:\nbefore %+v\nafter  %+v", name, n+1, before, after)
			}
		}
	}
	// Without failures the repair completes and settles the mark; the
	// figures are still those of the events.
	if _, err := s.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.pending.CountDocuments(ctx, bson.M{"_id": "e0"}); n != 0 {
		t.Fatal("the pending mark survived a successful repair")
	}
	want, _ := s.Recount(ctx, "lien-minh")
	if got := read().Leaves; !reflect.DeepEqual(want, got) {
		t.Fatalf("digests after repair differ from a recount:\nwant %v\ngot  %v", want, got)
	}
}

// TestRebuildRefusesToEmptyDigests: a recount that finds no events while
// digests exist writes nothing.
func TestRebuildRefusesToEmptyDigests(t *testing.T) {
	t.Parallel()
	s, ctx, read := failsafeSetup(t)
	before := read()
	if _, err := s.events.DeleteMany(ctx, bson.M{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(ctx, "lien-minh"); err == nil {
		t.Fatal("rebuilt from no events over existing digests")
	}
	if after := read(); !reflect.DeepEqual(before, after) {
		t.Fatalf("figures changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// TestRecordingWhileTheStoreFailsIsRepaired: a recording whose digests
// cannot be updated nor taken back is settled by the repair job, and the
// figures then equal a recount of the events.
func TestRecordingWhileTheStoreFailsIsRepaired(t *testing.T) {
	t.Parallel()
	s, ctx, read := failsafeSetup(t)
	s.failWrite = failAfter(1)
	if _, err := s.Record(ctx, Event{ID: "x", CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
		Channel: "print", Metric: "copies", Value: 5, Day: "2026-11-18", Source: SourceManual}); !errors.Is(err, errInjected) {
		t.Fatalf("recording: %v", err)
	}
	s.failWrite = nil
	if _, err := s.pending.UpdateMany(ctx, bson.M{}, bson.M{"$set": bson.M{"at": time.Unix(0, 0)}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Repair(ctx); err != nil || n != 1 {
		t.Fatalf("repair: %d, %v", n, err)
	}
	want, _ := s.Recount(ctx, "lien-minh")
	if got := read(); !reflect.DeepEqual(want, got.Leaves) || got.Campaign.Totals["print"]["copies"] != 100 {
		t.Fatalf("after repair: %v (the failed recording must not count)", got.Campaign.Totals)
	}
}

// TestRecordingSeveralEventsCountsEachOnce: events recorded together are
// each counted once, those stored before are skipped, and no pending mark
// is left behind.
func TestRecordingSeveralEventsCountsEachOnce(t *testing.T) {
	t.Parallel()
	s, ctx, read := failsafeSetup(t)
	ev := func(id string, v int64) Event {
		return Event{ID: id, CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026", Channel: "print", Metric: "copies",
			Value: v, Village: "Thôn Đông", Day: "2026-11-19", Source: SourceManual}
	}
	if n, err := s.Record(ctx, ev("a", 1), ev("b", 2)); n != 2 || err != nil {
		t.Fatalf("first call: %d new, %v", n, err)
	}
	if n, err := s.Record(ctx, ev("a", 1), ev("c", 4), ev("b", 2)); n != 1 || err != nil {
		t.Fatalf("second call: %d new, %v; want 1 (a and b were recorded before)", n, err)
	}
	if n, err := s.Record(ctx, ev("c", 4)); n != 0 || err != nil {
		t.Fatalf("third call: %d new, %v", n, err)
	}
	got := read()
	if c := got.Campaign.Totals["print"]["copies"]; c != 100+1+2+4 {
		t.Errorf("copies %d, want %d", c, 100+1+2+4)
	}
	if want, _ := s.Recount(ctx, "lien-minh"); !reflect.DeepEqual(want, got.Leaves) {
		t.Errorf("digests differ from a recount:\nwant %v\ngot  %v", want, got.Leaves)
	}
	if n, _ := s.pending.CountDocuments(ctx, bson.M{}); n != 0 {
		t.Errorf("%d pending marks left", n)
	}
}
