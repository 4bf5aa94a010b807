package dispatch_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
)

// TestEndedDeliveriesAreToldAtOnce: the outcome recorder hears of each
// delivery the dispatcher ends (sent, dead, missed) and of each airing
// report (aired, skipped) as it is recorded, once, in the delivery's
// commune's scope; repeats and bulk changes (cancellations) are not told.
func TestEndedDeliveriesAreToldAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	slot, _ := b.LoudspeakerSlot()
	late := b.Approved(post("Lỡ giờ", b.Clock.Now().Add(time.Minute)))
	b.Clock.Advance(7 * time.Hour) // down for seven hours: missed
	b.dispatch(b.sched)
	sent := b.DueNow(post("Đã đăng", b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.fb.set(func(publishers.Delivery) error { return publishers.Errorf(publishers.Permanent, "100", "policy") })
	b.DueNow(post("Bị từ chối", b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.fb.set(nil)
	if got, want := b.Ended.States(), []string{"Lỡ giờ missed", "Đã đăng sent", "Bị từ chối dead"}; !slices.Equal(got, want) {
		t.Fatalf("told %q, want %q", got, want)
	}
	if b.One(late.ID).State != deliveries.StateMissed || b.One(sent.ID).State != deliveries.StateSent {
		t.Fatal("the deliveries' states differ from what was told")
	}

	// Airing reports: skipped, skipped again (a repeat), then aired late.
	if _, _, err := b.Deliveries.MarkSkipped(b.Ctx, slot.ID, "Mất điện", "op"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Deliveries.MarkSkipped(b.Ctx, slot.ID, "Mất điện", "op"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Deliveries.MarkAired(context.WithoutCancel(b.Ctx), slot.ID, time.Date(2026, 11, 23, 6, 5, 0, 0, hcm), "op"); err != nil {
		t.Fatal(err)
	}
	told := b.Ended.States()[3:]
	if want := []string{"Bình đẳng giới missed", "Bình đẳng giới sent"}; !slices.Equal(told, want) {
		t.Fatalf("airing reports told %q, want %q", told, want)
	}
	if d := b.Ended.Told()[3]; !d.Skipped || d.StationID == "" || d.Day != "2026-11-23" || d.CampaignID == "" {
		t.Errorf("a skipped slot told without its fields: %+v", d)
	}

	// An edit cancels pending deliveries in bulk: left to the tally.
	pending := b.Approved(post("Chờ đăng", b.Clock.Now().Add(time.Hour)))
	if _, err := b.Deliveries.CancelPending(b.Ctx, pending.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(b.Ended.States()); n != 5 {
		t.Errorf("told %d endings after a bulk cancellation, want still 5", n)
	}
}

// TestRetellTellsEveryFinishedDelivery: the half-hourly retelling tells the
// recorder of every finished delivery in the hot collection, the bulk
// cancellations it was not told of at once included, each in its commune's
// scope (Endings refuses any other), and leaves queued ones out.
func TestRetellTellsEveryFinishedDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sent := b.DueNow(post("Đã đăng", b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	pending := b.Approved(post("Chờ đăng", b.Clock.Now().Add(time.Hour)))
	cancelled := b.Approved(post("Bị huỷ", b.Clock.Now().Add(2*time.Hour)))
	if _, err := b.Deliveries.CancelPending(b.Ctx, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	before := len(b.Ended.Told())
	if before != 1 {
		t.Fatalf("told %d endings before retelling, want 1 (the sent post)", before)
	}
	if err := b.Deliveries.Retell(context.Background()); err != nil {
		t.Fatal(err)
	}
	byItem := map[string]string{}
	for _, d := range b.Ended.Told()[before:] {
		byItem[d.ItemID] = d.State
	}
	if byItem[sent.ID] != deliveries.StateSent || byItem[cancelled.ID] != deliveries.StateCancelled {
		t.Errorf("retold %v, want the sent and the cancelled post", byItem)
	}
	if _, ok := byItem[pending.ID]; ok {
		t.Errorf("a queued delivery was retold: %v", byItem)
	}
}
