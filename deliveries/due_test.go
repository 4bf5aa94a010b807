package deliveries_test

import (
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/deliveries"
)

// due lists the titles of what a replica's Due returns.
func (b *bundle) due(r *deliveries.Service) []string {
	b.T.Helper()
	list, err := r.Due(b.Ctx)
	if err != nil {
		b.T.Fatal(err)
	}
	out := []string{}
	for _, c := range list {
		out = append(out, c.Delivery().Title)
	}
	return out
}

func (b *bundle) wantDue(r *deliveries.Service, why string, want ...string) {
	b.T.Helper()
	if got := b.due(r); !slices.Equal(got, append([]string{}, want...)) {
		b.T.Fatalf("%s: due %q, want %q", why, got, want)
	}
}

// plant writes a delivery straight into the database, as an edit made by
// hand would, which no stamp announces.
func (b *bundle) plant(d deliveries.Delivery) {
	b.T.Helper()
	if _, err := b.DB.Collection("deliveries").InsertOne(b.Ctx, d); err != nil {
		b.T.Fatal(err)
	}
}

func (b *bundle) unplant(id string) {
	b.T.Helper()
	if _, err := b.DB.Collection("deliveries").DeleteOne(b.Ctx, bson.M{"_id": id}); err != nil {
		b.T.Fatal(err)
	}
}

// TestDueScanIsRememberedWhileNothingCanBeDue: a replica with stamps
// answers its due scans from the last one that found nothing due, without
// reading, and scans again when the clock reaches the next pending
// delivery, when it or another replica materialises, retries or leaves a
// delivery waiting (the stamp),
// when a dead replica's lease ends, and at the latest after DueRescan (an
// edit made by hand in the database). Without stamps every call scans.
func TestDueScanIsRememberedWhileNothingCanBeDue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Two replicas (two processes: their own stamps, read every time), and
	// one without stamps.
	a, other, scanner := b.Deliveries, b.Replica("b"), b.StampedReplica("scanner", nil)
	start := b.Clock.Now()
	p := b.Approved(post("Bài lúc 10 giờ", start.Add(time.Hour)))
	b.wantDue(a, "nothing due before 10:00")

	edit := b.One(p.ID)
	edit.ID, edit.Title, edit.RunAt, edit.GraceFrom = "sua-tay", "Sửa tay", start.Add(-time.Minute), start.Add(-time.Minute)
	b.plant(edit)
	b.wantDue(a, "an edit by hand, which bumps nothing, within the memory")
	b.wantDue(scanner, "the same edit, to a replica without stamps", "Sửa tay")
	b.Clock.Advance(deliveries.DueRescan)
	b.wantDue(a, "the edit, once the memory is DueRescan old", "Sửa tay")
	b.unplant(edit.ID)
	b.wantDue(a, "the edit gone")

	// Another replica retries a dead delivery: it bumps the stamp.
	dead := edit
	dead.ID, dead.Title, dead.State, dead.LastError = "chet", "Bị từ chối", deliveries.StateDead, "permanent 100: policy"
	b.plant(dead)
	b.wantDue(scanner, "a dead delivery is not due")
	if _, err := b.DB.Collection("deliveries").InsertOne(b.Ctx, bson.M{"_id": "khong-gio", "commune_id": "lien-minh",
		"title": "Không giờ", "channel": "facebook", "state": deliveries.StateQueued}); err != nil {
		t.Fatal(err)
	}
	b.wantDue(scanner, "a delivery without run_at is not due")
	b.unplant("khong-gio")
	if _, err := other.Retry(b.Ctx, "editor", dead.ID); err != nil {
		t.Fatal(err)
	}
	b.wantDue(a, "retried on another replica", "Bị từ chối")
	b.unplant(dead.ID)
	b.wantDue(a, "the retried one gone")

	// Another replica materialises (an approval, the daily top-up).
	soon := b.Approved(post("Bài lúc 9 giờ 01", b.Clock.Now().Add(time.Minute)))
	if _, err := b.DB.Collection("deliveries").DeleteOne(b.Ctx, bson.M{"item_id": soon.ID}); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(2 * time.Minute)
	b.wantDue(a, "its delivery not there yet")
	if n, err := other.Materialize(b.Ctx, soon); err != nil || n != 1 {
		t.Fatalf("materialised %d, %v; want 1", n, err)
	}
	b.wantDue(a, "materialised on another replica", "Bài lúc 9 giờ 01")
	b.unplant(b.One(soon.ID).ID)

	// The clock reaches the next pending delivery.
	b.wantDue(a, "nothing due before 10:00")
	b.Clock.Advance(start.Add(time.Hour).Sub(b.Clock.Now()) - 10*time.Second)
	b.wantDue(a, "09:59:50, a fresh scan")
	b.Clock.Advance(9 * time.Second)
	b.wantDue(a, "09:59:59, from memory")
	if c, err := a.DueWithin(b.Ctx, 2*time.Second); err != nil || len(c) != 1 {
		t.Fatalf("09:59:59, due within 2 s: %v, %v; want the 10:00 post", c, err)
	}
	b.wantDue(a, "09:59:59 again")
	b.Clock.Advance(time.Second)
	b.wantDue(a, "10:00", "Bài lúc 10 giờ")

	// This replica's own outcome: a retry 20 s later, before its lease
	// (what the last scan saw) would end.
	b.retryIn(a, b.claimDue(a), 20*time.Second)
	b.Clock.Advance(20 * time.Second)
	b.wantDue(a, "its own retry, at its time", "Bài lúc 10 giờ")

	// Another replica's outcome that leaves it waiting is bumped: that
	// replica may stop before the retry time.
	d := b.claimDue(other)
	b.wantDue(a, "claimed by the other replica")
	b.retryIn(other, d, 20*time.Second)
	b.Clock.Advance(20 * time.Second)
	b.wantDue(a, "the other replica's retry, at its time", "Bài lúc 10 giờ")

	// A replica that dies holding a claim: the others find the delivery
	// when its lease ends, as they always did.
	b.claimDue(other)
	b.wantDue(a, "claimed by the other replica, which then dies")
	b.Clock.Advance(other.Lease() - time.Second)
	b.wantDue(a, "within the dead replica's lease")
	b.Clock.Advance(time.Second)
	b.wantDue(a, "the dead replica's lease ended", "Bài lúc 10 giờ")
}

// claimDue claims the one delivery r finds due, and checks that r's next
// scan finds nothing due: the delivery is sending until its lease ends.
func (b *bundle) claimDue(r *deliveries.Service) deliveries.Delivery {
	b.T.Helper()
	c, err := r.Due(b.Ctx)
	if err != nil || len(c) != 1 {
		b.T.Fatalf("due %v, %v; want one", c, err)
	}
	d, ok, err := r.Claim(b.Ctx, c[0])
	if err != nil || !ok {
		b.T.Fatalf("claim: %v %v", ok, err)
	}
	b.wantDue(r, "claimed: sending until its lease ends")
	return d
}

// retryIn records on r a failed attempt of d, to be tried again after wait.
func (b *bundle) retryIn(r *deliveries.Service, d deliveries.Delivery, wait time.Duration) {
	b.T.Helper()
	if !r.Settle(b.Ctx, d, deliveries.Outcome{State: deliveries.StateFailed, Error: "timeout", RunAt: b.Clock.Now().Add(wait)}) {
		b.T.Fatal("outcome not recorded")
	}
}
