package dispatch_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/publishers"
)

// authPlatform is one replica's client of the shared platform: it keeps
// in memory, like the real clients, that the credential was rejected.
type authPlatform struct {
	*platform
	mu         sync.Mutex
	bad        bool
	reconnects int
}

func (a *authPlatform) Publish(ctx context.Context, d publishers.Delivery, c publishers.Content) (publishers.Receipt, error) {
	a.mu.Lock()
	bad := a.bad
	a.mu.Unlock()
	if bad {
		return publishers.Receipt{}, &publishers.Error{Class: publishers.AuthInvalid, Code: "190/463", Message: "reconnect the Facebook Page: token expired"}
	}
	return a.platform.Publish(ctx, d, c)
}

func (a *authPlatform) Health() publishers.Health {
	a.mu.Lock()
	defer a.mu.Unlock()
	h := publishers.Health{Channel: "facebook", Configured: true, Healthy: !a.bad, Paused: a.bad}
	if a.bad {
		h.LastError = "reconnect the Facebook Page: token expired"
	}
	return h
}

func (a *authPlatform) Reconnected() {
	a.mu.Lock()
	a.bad = false
	a.reconnects++
	a.mu.Unlock()
}

func (a *authPlatform) setBad(v bool) { a.mu.Lock(); a.bad = v; a.mu.Unlock() }

// replicaWith is a replica whose facebook publisher is p.
func (b *bundle) replicaWith(owner string, p publishers.Publisher) *dispatch.Dispatcher {
	s := dispatch.New(dispatch.Deps{DB: b.DB, Deliveries: b.Replica(owner), Items: b.Campaigns, Publishers: map[string]publishers.Publisher{"facebook": p},
		Fallback: func(string) publishers.Publisher { return b.fb }, Location: hcm, Log: slog.New(slog.DiscardHandler)}, b.opts)
	b.T.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

func statusOf(t *testing.T, ctx context.Context, s *dispatch.Dispatcher, ch string) dispatch.ChannelStatus {
	t.Helper()
	list, err := s.ChannelStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Channel == ch {
			return c
		}
	}
	t.Fatalf("no channel %s in %+v", ch, list)
	return dispatch.ChannelStatus{}
}

// TestResumeReachesEveryReplica: the credential is rejected on replica A,
// an admin resumes the channel on replica B, and A — whose client still
// remembers the rejection — picks the resume up from the store and sends.
func TestResumeReachesEveryReplica(t *testing.T) {
	t.Parallel()
	b := setup(t)
	fbA, fbB := &authPlatform{platform: b.fb, bad: true}, &authPlatform{platform: b.fb, bad: true}
	a, other := b.replicaWith("a", fbA), b.replicaWith("b", fbB)
	watcher := a.NewResumeWatcher()
	it := b.DueNow(post(title(1), b.Clock.Now().Add(time.Minute)))
	b.dispatch(a)
	if st := statusOf(t, b.Ctx, a, "facebook"); st.Status != "reconnect" || !st.Paused || st.Healthy || st.PausedUntil == nil {
		t.Fatalf("after a rejected token: %+v", st)
	}
	if d := b.One(it.ID); d.State != deliveries.StateQueued || d.Attempts != 0 {
		t.Fatalf("the delivery should wait for the channel: %+v", d)
	}
	if st := statusOf(t, b.Ctx, a, "print"); st.Status != "ok" && st.Status != "outbox" {
		t.Errorf("print: %+v", st)
	}

	b.Clock.Advance(time.Second)
	if _, err := other.Resume(b.Ctx, "admin", "facebook"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Resume(b.Ctx, "admin", "fax"); err == nil {
		t.Error("resumed an unknown channel")
	}
	if fbB.reconnects != 1 || fbA.reconnects != 0 {
		t.Fatalf("reconnects: B %d, A %d", fbB.reconnects, fbA.reconnects)
	}
	if err := watcher.Sync(b.Ctx); err != nil {
		t.Fatal(err)
	}
	if fbA.reconnects != 1 {
		t.Fatalf("replica A did not apply the resume made on B")
	}
	if err := watcher.Sync(b.Ctx); err != nil || fbA.reconnects != 1 {
		t.Fatalf("a resume applied twice (%d, %v)", fbA.reconnects, err)
	}
	b.dispatch(a)
	if d := b.One(it.ID); d.State != deliveries.StateSent || b.fb.count(d.ID) != 1 {
		t.Fatalf("after the resume: %+v", d)
	}

	// Rejected again after the resume: the pause stays until the next one.
	fbA.setBad(true)
	it2 := b.DueNow(post(title(2), b.Clock.Now().Add(time.Minute)))
	b.dispatch(a)
	if err := watcher.Sync(b.Ctx); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, b.Ctx, other, "facebook"); st.Status != "reconnect" || !st.Paused {
		t.Fatalf("a new pause was lifted by an old resume: %+v", st)
	}
	if d := b.One(it2.ID); d.State != deliveries.StateQueued {
		t.Fatalf("second delivery: %+v", d)
	}
}

func TestSentReadsHotAndArchive(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.DueNow(post(title(1), b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)
	b.Clock.Advance(50 * time.Hour)
	if n, err := b.Deliveries.Archive(b.Ctx); err != nil || n != 1 {
		t.Fatalf("archived %d (%v)", n, err)
	}
	second := b.DueNow(post(title(2), b.Clock.Now().Add(time.Minute)))
	b.dispatch(b.sched)

	list, err := b.Deliveries.Sent(b.Ctx, deliveries.SentFilter{Channels: []string{"facebook"}, WithExternalID: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ItemID != second.ID || list[1].ItemID != first.ID || list[1].ExternalID == "" {
		t.Fatalf("sent, newest first, hot and archived: %+v", list)
	}
	recent, _ := b.Deliveries.Sent(b.Ctx, deliveries.SentFilter{Channels: []string{"facebook"}, From: b.Clock.Now().Add(-time.Hour)})
	older, _ := b.Deliveries.Sent(b.Ctx, deliveries.SentFilter{Channels: []string{"facebook"}, To: b.Clock.Now().Add(-time.Hour)})
	if len(recent) != 1 || recent[0].ItemID != second.ID || len(older) != 1 || older[0].ItemID != first.ID {
		t.Fatalf("windows: recent %d, older %d", len(recent), len(older))
	}
	if none, _ := b.Deliveries.Sent(b.Ctx, deliveries.SentFilter{Channels: []string{"zalo"}}); len(none) != 0 {
		t.Fatalf("another channel: %+v", none)
	}
	if _, err := b.Deliveries.Sent(context.Background(), deliveries.SentFilter{Channels: []string{"facebook"}}); err == nil {
		t.Fatal("read without a commune scope")
	}
	all, err := b.Deliveries.Sent(context.Background(), deliveries.SentFilter{Channels: []string{"facebook"}, AllCommunes: true})
	if err != nil || len(all) != 2 {
		t.Fatalf("all communes: %d %v", len(all), err)
	}
}
