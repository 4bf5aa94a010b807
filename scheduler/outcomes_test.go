package scheduler_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/scheduler"
)

// TestEndedDeliveriesAreToldAtOnce: the outcome recorder hears of each
// delivery the dispatcher ends (sent, dead, missed) and of each airing
// report (aired, skipped) as it is recorded, once, in the delivery's
// commune's scope; repeats and bulk changes (cancellations) are not told.
func TestEndedDeliveriesAreToldAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	slot, _ := loudspeakerSlot(t, b)
	late := b.approved(post("Lỡ giờ", b.clk.Now().Add(time.Minute)))
	b.clk.Advance(7 * time.Hour) // down for seven hours: missed
	b.dispatch(b.sched)
	sent := b.dueNow(post("Đã đăng", b.clk.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.fb.set(func(publishers.Delivery) error { return publishers.Errorf(publishers.Permanent, "100", "policy") })
	b.dueNow(post("Bị từ chối", b.clk.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.fb.set(nil)
	if got, want := b.ended.states(), []string{"Lỡ giờ missed", "Đã đăng sent", "Bị từ chối dead"}; !slices.Equal(got, want) {
		t.Fatalf("told %q, want %q", got, want)
	}
	if b.one(late.ID).State != scheduler.StateMissed || b.one(sent.ID).State != scheduler.StateSent {
		t.Fatal("the deliveries' states differ from what was told")
	}

	// Airing reports: skipped, skipped again (a repeat), then aired late.
	if _, _, err := b.sched.MarkSkipped(b.ctx, slot.ID, "Mất điện", "op"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.sched.MarkSkipped(b.ctx, slot.ID, "Mất điện", "op"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.sched.MarkAired(context.WithoutCancel(b.ctx), slot.ID, time.Date(2026, 11, 23, 6, 5, 0, 0, hcm), "op"); err != nil {
		t.Fatal(err)
	}
	told := b.ended.states()[3:]
	if want := []string{"Bình đẳng giới missed", "Bình đẳng giới sent"}; !slices.Equal(told, want) {
		t.Fatalf("airing reports told %q, want %q", told, want)
	}
	if d := b.ended.told[3]; !d.Skipped || d.StationID == "" || d.Day != "2026-11-23" || d.CampaignID == "" {
		t.Errorf("a skipped slot told without its fields: %+v", d)
	}

	// An edit cancels pending deliveries in bulk: left to the tally.
	pending := b.approved(post("Chờ đăng", b.clk.Now().Add(time.Hour)))
	if _, err := b.sched.CancelPending(b.ctx, pending.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(b.ended.states()); n != 5 {
		t.Errorf("told %d endings after a bulk cancellation, want still 5", n)
	}
}
