package dispatch_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/deliveries/deliveriestest"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/stations"
)

func TestApprovedPostGoesOutOnTimeExactlyOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.Approved(post("Lên tiếng", b.Clock.Now().Add(2*time.Minute)))
	d := b.One(it.ID)
	if d.State != deliveries.StateQueued || d.ItemVersion != 1 {
		t.Fatalf("after approval: %+v", d)
	}
	b.dispatch(b.sched)
	if b.fb.totalCalls() != 0 {
		t.Fatal("published before its time")
	}
	b.Clock.Advance(2 * time.Minute)
	b.dispatch(b.sched)
	b.dispatch(b.sched)
	if d = b.One(it.ID); d.State != deliveries.StateSent || d.ExternalID != "page_"+d.ID || b.fb.count(d.ID) != 1 || d.Attempts != 1 {
		t.Fatalf("after its time: %+v, posted %d times", d, b.fb.count(d.ID))
	}
}

func TestMaterializeIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var ids []string
	for _, v := range []string{"Thôn Đông", "Thôn Tây"} {
		name := "Cụm loa " + v
		hh := 120
		st, err := b.Stations.Create(b.Ctx, stations.Input{Name: &name, Village: &v, Households: &hh})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
	}
	kind, title, body := campaigns.KindScript, "Bài phát thanh", "Bạo lực gia đình là vi phạm pháp luật."
	ch := []string{"loudspeaker"}
	it := b.Approved(campaigns.ItemInput{Kind: &kind, Title: &title, Body: &body, Channels: &ch, StationIDs: &ids,
		Schedule: &campaigns.Schedule{Times: []string{"06:00", "17:30"}, From: "2026-11-21", To: "2026-11-23"}})
	want := 3 * 2 * 2 // days × times × stations
	if got := len(b.Of(it.ID)); got != want {
		t.Fatalf("%d deliveries, want %d", got, want)
	}
	for range 2 {
		// Nothing new, and nothing queued again: the daily top-up leaves
		// queued deliveries of the item's version alone.
		if n, err := b.Deliveries.Materialize(b.Ctx, it); err != nil || n != 0 {
			t.Fatalf("materialising again made or requeued %d (%v), want 0", n, err)
		}
		if err := b.sched.TopUp(b.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.Count(bson.M{"item_id": it.ID}); got != int64(want) {
		t.Fatalf("after materialising again: %d deliveries, want %d", got, want)
	}
	// Loudspeaker slots are not pushed: they wait for the operator.
	b.Clock.Advance(24 * time.Hour)
	b.dispatch(b.sched)
	if b.fb.totalCalls() != 0 || b.Count(bson.M{"state": "queued"}) != int64(want) {
		t.Fatal("the dispatcher pushed loudspeaker slots")
	}
	// On 22/11, the 21st's unconfirmed slots are missed.
	b.Clock.Advance(24 * time.Hour)
	n, err := b.Deliveries.MissUnconfirmed(b.Ctx)
	if err != nil || n != 4 {
		t.Fatalf("missed %d slots of 21/11 (%v), want 4", n, err)
	}
}

func TestReplicasNeverSendTwice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const items = 60
	due := b.Clock.Now().Add(time.Minute)
	for i := range items {
		b.Approved(post(title(i), due))
	}
	b.Clock.Advance(time.Minute)
	replicas := []*dispatch.Dispatcher{b.sched, b.replica("b"), b.replica("c"), b.replica("d")}
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() {
			for range 3 {
				if err := r.Dispatch(b.Ctx); err != nil {
					t.Error(err)
				}
			}
			r.Wait()
		})
	}
	wg.Wait()
	if n := b.Count(bson.M{"state": "sent"}); n != items {
		t.Fatalf("%d of %d deliveries sent", n, items)
	}
	if calls := b.fb.totalCalls(); calls != items {
		t.Fatalf("%d publish calls for %d deliveries", calls, items)
	}
}

func TestReplicaKilledMidSendIsReconciledNotResent(t *testing.T) {
	t.Parallel()
	b := setupWith(t, deliveries.Options{Lease: 30 * time.Second}, dispatch.Options{})
	it := b.Approved(post("Bài đăng bị gián đoạn", b.Clock.Now().Add(time.Minute)))
	b.Clock.Advance(time.Minute)
	b.fb.block = make(chan struct{})
	defer close(b.fb.block)
	if err := b.sched.Dispatch(b.Ctx); err != nil { // replica a posts, then hangs: as good as dead
		t.Fatal(err)
	}
	id := <-b.fb.started
	if d := b.One(it.ID); d.State != deliveries.StateSending {
		t.Fatalf("while a sends: %s", d.State)
	}
	b.fb.mu.Lock()
	b.fb.block = nil
	b.fb.mu.Unlock()

	other := b.replica("b")
	b.dispatch(other) // the lease still holds: b must not touch it
	if d := b.One(it.ID); d.State != deliveries.StateSending || b.fb.count(id) != 1 {
		t.Fatalf("b took a leased delivery: %+v", d)
	}
	b.Clock.Advance(41 * time.Second) // lease plus the skew margin
	b.dispatch(other)
	d := b.One(it.ID)
	if d.State != deliveries.StateSent || !strings.Contains(d.LastError, "found on the platform") {
		t.Fatalf("after the lease expired: %+v", d)
	}
	if n := b.fb.count(id); n != 1 {
		t.Fatalf("posted %d times", n)
	}
}

func TestUnknownOutcomeIsReconciledBeforeResend(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.DueNow(post("Mất kết nối", b.Clock.Now().Add(time.Minute)))
	first := true
	b.fb.set(func(d publishers.Delivery) error {
		if first { // the post is made, but the answer is lost
			first = false
			b.fb.mu.Lock()
			b.fb.posts[d.ID]++
			b.fb.mu.Unlock()
			return context.DeadlineExceeded
		}
		return nil
	})
	b.dispatch(b.sched)
	d := b.One(it.ID)
	if d.State != deliveries.StateFailed || d.ErrorClass != "unknown" {
		t.Fatalf("after a timeout: %+v", d)
	}
	b.Clock.Advance(2 * time.Minute)
	b.dispatch(b.sched)
	if d = b.One(it.ID); d.State != deliveries.StateSent || b.fb.count(d.ID) != 1 || b.fb.totalCalls() != 1 {
		t.Fatalf("after reconciling: %+v, posted %d, %d calls", d, b.fb.count(d.ID), b.fb.totalCalls())
	}
}

func TestTransientErrorsBackOffThenDie(t *testing.T) {
	t.Parallel()
	b := setupWith(t, deliveries.Options{}, dispatch.Options{MaxAttempts: 4})
	it := b.DueNow(post("Máy chủ bận", b.Clock.Now().Add(time.Minute)))
	b.fb.set(func(publishers.Delivery) error {
		return publishers.Errorf(publishers.Transient, "2", "service temporarily unavailable")
	})
	var waits []time.Duration
	for attempt := 1; attempt <= 4; attempt++ {
		b.dispatch(b.sched)
		d := b.One(it.ID)
		if d.Attempts != attempt {
			t.Fatalf("attempt %d: %+v", attempt, d)
		}
		if attempt == 4 {
			if d.State != deliveries.StateDead || !strings.Contains(d.LastError, "gave up after 4 attempts") {
				t.Fatalf("after the last attempt: %+v", d)
			}
			break
		}
		wait := d.RunAt.Sub(b.Clock.Now())
		base := 30 * time.Second << (attempt - 1)
		if d.State != deliveries.StateFailed || wait < base*8/10 || wait > base*12/10 {
			t.Fatalf("attempt %d: state %s, next try in %s, want %s ±20%%", attempt, d.State, wait, base)
		}
		waits = append(waits, wait)
		b.dispatch(b.sched) // not yet due: nothing happens
		if b.fb.totalCalls() != attempt {
			t.Fatalf("retried before its time: %d calls after %d attempts", b.fb.totalCalls(), attempt)
		}
		b.Clock.Advance(wait)
	}
	if len(waits) != 3 || waits[2] < waits[0] {
		t.Fatalf("backoff does not grow: %v", waits)
	}
}

func TestInvalidCredentialPausesTheChannel(t *testing.T) {
	t.Parallel()
	// One send at a time, so the count is exact; with more in flight each
	// costs at most one call (and the real clients fail fast once invalid).
	b := setupWith(t, deliveries.Options{}, dispatch.Options{Concurrency: 1})
	for i := range 3 {
		b.Approved(post(title(i), b.Clock.Now().Add(time.Minute)))
	}
	b.Clock.Advance(time.Minute)
	b.fb.set(func(publishers.Delivery) error {
		return publishers.Errorf(publishers.AuthInvalid, "190/463", "Error validating access token: Session has expired")
	})
	b.dispatch(b.sched)
	b.dispatch(b.sched)
	if calls := b.fb.totalCalls(); calls != 1 {
		t.Fatalf("an expired token cost %d calls, want 1", calls)
	}
	if n := b.Count(bson.M{"state": "queued"}); n != 3 {
		t.Fatalf("%d deliveries still queued, want all 3 waiting for the channel", n)
	}
	states, err := b.sched.ChannelStates(b.Ctx)
	if err != nil || len(states) != 1 || states[0].Status != "reconnect" {
		t.Fatalf("channel states %+v (%v)", states, err)
	}
	b.fb.set(nil)
	if err := b.sched.ResumeChannel(b.Ctx, "facebook"); err != nil {
		t.Fatal(err)
	}
	b.dispatch(b.sched)
	if n := b.Count(bson.M{"state": "sent"}); n != 3 {
		t.Fatalf("%d sent after reconnecting, want 3", n)
	}
}

func TestThrottledWaitsWhatThePlatformSays(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.DueNow(post("Giới hạn", b.Clock.Now().Add(time.Minute)))
	b.fb.set(func(publishers.Delivery) error {
		return &publishers.Error{Class: publishers.Throttled, Code: "4", RetryAfter: 10 * time.Minute}
	})
	b.dispatch(b.sched)
	d := b.One(it.ID)
	if d.State != deliveries.StateFailed || d.RunAt.Sub(b.Clock.Now()) != 10*time.Minute {
		t.Fatalf("throttled: %+v", d)
	}
}

func TestMisfireWindows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	late := b.Approved(post("Quá muộn", b.Clock.Now().Add(time.Minute)))
	inTime := b.Approved(post("Muộn nhưng còn kịp", b.Clock.Now().Add(3*time.Hour)))
	b.Clock.Advance(7*time.Hour + time.Minute) // the service was down for seven hours
	b.dispatch(b.sched)
	if d := b.One(late.ID); d.State != deliveries.StateMissed || !strings.Contains(d.LastError, "window") {
		t.Fatalf("7 h late: %+v", d)
	}
	if d := b.One(inTime.ID); d.State != deliveries.StateSent {
		t.Fatalf("4 h late, inside the 6 h window: %+v", d)
	}
	// A missed post can be retried by hand, with a fresh window.
	d, err := b.Deliveries.Retry(b.Ctx, "editor", b.One(late.ID).ID)
	if err != nil || d.State != deliveries.StateQueued {
		t.Fatalf("retry: %+v %v", d, err)
	}
	b.dispatch(b.sched)
	if d := b.One(late.ID); d.State != deliveries.StateSent {
		t.Fatalf("after retry: %+v", d)
	}
	if _, err := b.Deliveries.Retry(b.Ctx, "editor", d.ID); err == nil {
		t.Fatal("a sent delivery was retried")
	}
}

func TestEditAfterApprovalCancelsPending(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.Approved(post("Bản cũ", b.Clock.Now().Add(time.Hour)))
	newTitle := "Bản mới"
	edited, err := b.Campaigns.UpdateItem(b.Ctx, deliveriestest.Editor, it.ID, campaigns.ItemInput{Title: &newTitle})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Status != campaigns.StatusDraft || edited.Version != 2 {
		t.Fatalf("after the edit: %+v", edited)
	}
	if d := b.One(it.ID); d.State != deliveries.StateCancelled {
		t.Fatalf("pending delivery after the edit: %s", d.State)
	}
	b.Clock.Advance(time.Hour)
	b.dispatch(b.sched)
	if b.fb.totalCalls() != 0 {
		t.Fatal("a cancelled delivery went out")
	}
	// Approved again: the same delivery comes back for version 2.
	if _, err := b.Campaigns.Submit(b.Ctx, deliveriestest.Editor, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Campaigns.Approve(b.Ctx, deliveriestest.Manager, it.ID); err != nil {
		t.Fatal(err)
	}
	d := b.One(it.ID)
	if d.State != deliveries.StateQueued || d.ItemVersion != 2 || d.Title != "Bản mới" {
		t.Fatalf("after re-approval: %+v", d)
	}
}

func TestArchiveKeepsClaimScansSmall(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.DueNow(post("Lưu trữ", b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.Clock.Advance(deliveries.ArchiveAfter + time.Minute)
	n, err := b.Deliveries.Archive(b.Ctx)
	if err != nil || n != 1 {
		t.Fatalf("archived %d (%v)", n, err)
	}
	if b.Count(bson.M{}) != 0 {
		t.Fatal("the hot collection still holds the finished delivery")
	}
	if d := b.One(it.ID); d.State != deliveries.StateSent {
		t.Fatalf("archived delivery not listed: %+v", d)
	}
}

func TestClaimLeftByACrashedReplicaIsSkipped(t *testing.T) {
	t.Parallel()
	b := setupWith(t, deliveries.Options{Lease: 30 * time.Second}, dispatch.Options{})
	it := b.DueNow(post("Bị bỏ dở", b.Clock.Now().Add(time.Minute)))
	d := b.One(it.ID)
	// A replica took sequence number 1 and died before recording its claim.
	if _, err := b.DB.Collection("delivery_claims").InsertOne(b.Ctx, bson.M{"_id": d.ID + "|1", "delivery_id": d.ID,
		"seq": 1, "owner": "dead", "at": b.Clock.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	b.dispatch(b.sched)
	if d = b.One(it.ID); d.State != deliveries.StateQueued || b.fb.totalCalls() != 0 {
		t.Fatalf("within the lease the fresh claim is respected: %+v", d)
	}
	b.Clock.Advance(31 * time.Second)
	b.dispatch(b.sched)
	if d = b.One(it.ID); d.State != deliveries.StateSent || b.fb.count(d.ID) != 1 {
		t.Fatalf("after the lease: %+v, posted %d", d, b.fb.count(d.ID))
	}
}

func TestLateOwnerCannotOverwriteTheNewOwner(t *testing.T) {
	t.Parallel()
	b := setupWith(t, deliveries.Options{Lease: 30 * time.Second}, dispatch.Options{})
	it := b.DueNow(post("Chủ cũ chậm chạp", b.Clock.Now().Add(time.Minute)))
	b.fb.block = make(chan struct{})
	if err := b.sched.Dispatch(b.Ctx); err != nil { // a posts, then stalls past its lease
		t.Fatal(err)
	}
	<-b.fb.started
	b.fb.mu.Lock()
	block := b.fb.block
	b.fb.block = nil
	b.fb.publish = func(publishers.Delivery) error {
		return publishers.Errorf(publishers.Permanent, "100", "should not be called")
	}
	b.fb.mu.Unlock()
	b.Clock.Advance(41 * time.Second) // lease plus the skew margin
	other := b.replica("b")
	b.dispatch(other) // b reconciles: the post exists, so sent
	close(block)      // a wakes up and tries to record its own outcome
	b.sched.Wait()
	d := b.One(it.ID)
	if d.State != deliveries.StateSent || !strings.Contains(d.LastError, "found on the platform") || b.fb.count(d.ID) != 1 {
		t.Fatalf("after both: %+v, posted %d", d, b.fb.count(d.ID))
	}
}

func TestTopUpDoesNotRequeueAnArchivedOneOff(t *testing.T) {
	t.Parallel()
	b := setup(t)
	it := b.DueNow(post("Đăng một lần", b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.Clock.Advance(deliveries.ArchiveAfter + time.Hour)
	if n, err := b.Deliveries.Archive(b.Ctx); err != nil || n != 1 {
		t.Fatalf("archived %d (%v)", n, err)
	}
	if err := b.sched.TopUp(b.Ctx); err != nil {
		t.Fatal(err)
	}
	if n := b.Count(bson.M{}); n != 0 {
		t.Fatalf("the nightly top-up put %d deliveries of a past one-off back in the hot collection", n)
	}
	if d := b.One(it.ID); d.State != deliveries.StateSent {
		t.Fatalf("the archived delivery is now %s", d.State)
	}
}
