package reach_test

import (
	"testing"

	"github.com/lantoa/lantoa/reach"
)

// TestOutcomesAreSetNotAdded tallies the same deliveries repeatedly, with a
// dead delivery later retried and sent and a slot reported skipped, and
// checks the counters count each delivery once, in its latest state.
func TestOutcomesAreSetNotAdded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	live := []reach.DeliveryOutcome{
		{ID: "d1", ItemID: "post-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "post", Title: "Bài 1", Channel: "facebook", Day: "2026-11-16", State: "sent"},
		{ID: "d2", ItemID: "post-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "post", Title: "Bài 1", Channel: "zalo", Day: "2026-11-16", State: "dead"},
		{ID: "d3", ItemID: "script-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "script", Title: "Loa 1", Channel: "loudspeaker",
			StationID: "st.1", Day: "2026-12-01", State: "missed", Skipped: true},
		{ID: "d4", ItemID: "script-1", CampaignID: "lien-minh-gbv-month-2026", Kind: "script", Title: "Loa 1", Channel: "loudspeaker",
			StationID: "st.1", Day: "2026-12-02", State: "sent"},
	}
	for range 3 {
		if err := b.svc.RecordOutcomes(b.ctx, live); err != nil {
			t.Fatal(err)
		}
	}
	live[1].State = "sent" // retried by an editor
	live = live[1:]        // d1 archived: no longer listed, still counted
	if err := b.svc.RecordOutcomes(b.ctx, live); err != nil {
		t.Fatal(err)
	}
	out, err := b.svc.Outcomes(b.ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if out.Totals["sent"] != 3 || out.Totals["dead"] != 0 || out.Totals["skipped"] != 1 || len(out.Items) != 3 {
		t.Fatalf("totals %v, items %+v", out.Totals, out.Items)
	}
	if st := out.Stations["st.1"]; st["sent"] != 1 || st["skipped"] != 1 {
		t.Fatalf("station st.1 (a dotted id): %v", st)
	}
	for _, it := range out.Items {
		if it.Title == "" || it.Kind == "" || it.CampaignID == "" {
			t.Errorf("item without its title, kind or campaign: %+v", it)
		}
	}
}
