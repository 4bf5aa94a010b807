package reach_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/reach"
)

// stubStats is a StatsPoller with set answers.
type stubStats struct {
	mu     sync.Mutex
	values map[string]map[string]*int64 // post → metric → value
	err    error
	usage  int
	asked  [][]string
}

func (s *stubStats) Channel() string { return "facebook" }

func (s *stubStats) Stats(_ context.Context, ids []string) (map[string][]publishers.Stat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, ids)
	out := map[string][]publishers.Stat{}
	if s.err != nil {
		return out, s.err
	}
	for _, id := range ids {
		for _, m := range []string{"reach", "views"} {
			out[id] = append(out[id], publishers.Stat{Metric: m, Value: s.values[id][m], PlatformMetric: "post_" + m, APIVersion: "v25.0"})
		}
	}
	return out, nil
}

func (s *stubStats) Health() publishers.Health {
	u := s.usage
	return publishers.Health{Channel: "facebook", Configured: true, Healthy: true, Usage: &u}
}

// window records what the poller asked the post lister for.
type window struct {
	from, to time.Time
	all      bool
}

// sentLister stands in for the deliveries' Sent.
type sentLister func(ctx context.Context, f deliveries.SentFilter) ([]deliveries.Delivery, error)

func (l sentLister) Sent(ctx context.Context, f deliveries.SentFilter) ([]deliveries.Delivery, error) {
	return l(ctx, f)
}

func TestPollerWindowsUnknownsAndErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	stats := &stubStats{values: map[string]map[string]*int64{"p1": {"reach": i64(40), "views": i64(90)}, "p2": {}}}
	var asked []window
	posts := sentLister(func(_ context.Context, f deliveries.SentFilter) ([]deliveries.Delivery, error) {
		asked = append(asked, window{f.From, f.To, f.AllCommunes})
		if !slices.Equal(f.Channels, []string{"facebook"}) || !f.WithExternalID {
			t.Errorf("asked for %+v", f)
		}
		return []deliveries.Delivery{
			{CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026", ItemID: "i1", Channel: "facebook", ExternalID: "p1"},
			{CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026", ItemID: "i2", Channel: "facebook", ExternalID: "p2"},
		}, nil
	})
	p := reach.NewPoller(reach.PollerDeps{Reach: b.svc, Stats: map[string]publishers.StatsPoller{"facebook": stats}, Sent: posts,
		Now: func() time.Time { return b.now }, Log: slog.New(slog.DiscardHandler)})

	if _, err := p.PollNow(context.Background()); err == nil {
		t.Fatal("PollNow without a commune scope ran")
	}
	res, err := p.PollNow(b.ctx)
	if err != nil || res.Posts != 2 || res.Snapshots != 1 || len(res.Errors) != 0 {
		t.Fatalf("poll now: %+v %v (p2 has no figure yet: nothing recorded)", res, err)
	}
	if w := asked[0]; w.all || !w.from.Equal(b.now.Add(-reach.MaxPollAge)) || !w.to.IsZero() {
		t.Errorf("PollNow window %+v", w)
	}
	if err := p.PollRecent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.PollOlder(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w := asked[1]; !w.all || !w.from.Equal(b.now.Add(-reach.RecentAge)) || !w.to.IsZero() {
		t.Errorf("PollRecent window %+v", w)
	}
	if w := asked[2]; !w.all || !w.from.Equal(b.now.Add(-reach.MaxPollAge)) || !w.to.Equal(b.now.Add(-reach.RecentAge)) {
		t.Errorf("PollOlder window %+v", w)
	}
	sum, err := b.svc.CampaignSummary(b.ctx, "lien-minh-gbv-month-2026", noStations)
	if err != nil || sum.Totals["facebook"]["reach_sum"] != 40 || sum.Totals["facebook"]["views"] != 90 {
		t.Fatalf("after three polls of the same figures: %v %v", sum.Totals, err)
	}

	// Above the usage threshold the clock's polls wait; a person's poll runs.
	stats.usage = 95
	before := len(stats.asked)
	if err := p.PollRecent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(stats.asked) != before {
		t.Error("the clock polled a channel above its usage threshold")
	}
	if res, _ := p.PollNow(b.ctx); len(stats.asked) != before+1 || res.Posts != 2 {
		t.Errorf("a manual poll was deferred: %+v", res)
	}

	// A platform failure is reported, safely, and stops nothing else.
	stats.usage = 0
	stats.err = &publishers.Error{Class: publishers.AuthInvalid, Code: "190/463", Message: "reconnect the Facebook Page"}
	res, err = p.PollNow(b.ctx)
	if err != nil || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "reconnect the Facebook Page") {
		t.Fatalf("with the token rejected: %+v %v", res, err)
	}
	stats.err = context.DeadlineExceeded
	if res, _ = p.PollNow(b.ctx); len(res.Errors) != 1 || res.Errors[0] != "facebook: timed out" {
		t.Fatalf("timeout: %+v", res)
	}
}
