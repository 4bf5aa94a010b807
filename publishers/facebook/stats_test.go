package facebook_test

import (
	"testing"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
)

// publishN makes n posts and returns their ids.
func publishN(t *testing.T, b *bundle, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		rc, err := b.client.Publish(t.Context(), b.delivery(), text("", "Bài "+string(rune('A'+i))))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rc.ExternalID)
	}
	return ids
}

// statsOf reads the stats of ids, failing the test at once on an error.
func statsOf(t *testing.T, b *bundle, ids []string) map[string][]publishers.Stat {
	t.Helper()
	got, err := b.client.Stats(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func byMetric(stats []publishers.Stat) map[string]publishers.Stat {
	out := map[string]publishers.Stat{}
	for _, s := range stats {
		out[s.Metric] = s
	}
	return out
}

func wantValue(t *testing.T, s publishers.Stat, platform string, value int64) {
	t.Helper()
	if s.PlatformMetric != platform || s.Value == nil || *s.Value != value || s.APIVersion != "v25.0" {
		t.Errorf("%s = %+v (value %v), want %s = %d at v25.0", s.Metric, s, s.Value, platform, value)
	}
}

func TestStatsCurrentMetricsOneCallPerPost(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ids := publishN(t, b, 2)
	b.fake.SetInsights(ids[0], map[string]any{
		"post_total_media_view_unique": 120, "post_media_view": 300, "post_clicks": 7,
		"post_reactions_by_type_total": map[string]int{"like": 13, "love": 2},
	})
	before := len(b.fake.Calls())

	got := statsOf(t, b, ids)
	m := byMetric(got[ids[0]])
	wantValue(t, m["reach"], "post_total_media_view_unique", 120)
	wantValue(t, m["views"], "post_media_view", 300)
	wantValue(t, m["clicks"], "post_clicks", 7)
	wantValue(t, m["engagements"], "post_reactions_by_type_total", 15)
	for _, s := range got[ids[1]] {
		if s.Value != nil {
			t.Errorf("post without data: %s = %d, want unknown (nil)", s.Metric, *s.Value)
		}
	}
	calls := b.fake.Calls()[before:]
	if len(calls) != 2 || calls[0].Form.Get("metric") != "post_total_media_view_unique,post_media_view,post_clicks,post_reactions_by_type_total" {
		t.Errorf("calls = %d, metric=%q", len(calls), calls[0].Form.Get("metric"))
	}
}

// TestStatsFallsBackPastRejectedNames: an API that rejects the newest reach
// name (and the retired post_impressions) makes the client fall back down
// each chain without losing the other metrics, and remember the rejection.
func TestStatsFallsBackPastRejectedNames(t *testing.T) {
	t.Parallel()
	b := setup(t, nil, facebooktest.WithDeprecatedMetrics("post_total_media_view_unique", "post_impressions"))
	ids := publishN(t, b, 2)
	for _, id := range ids {
		b.fake.SetInsights(id, map[string]any{
			"post_impressions_unique": 80, "post_media_view": 200,
			"post_reactions_by_type_total": map[string]int{"like": 4},
		})
	}
	before := len(b.fake.Calls())

	got := statsOf(t, b, ids[:1])
	m := byMetric(got[ids[0]])
	wantValue(t, m["reach"], "post_impressions_unique", 80)
	wantValue(t, m["views"], "post_media_view", 200)
	wantValue(t, m["engagements"], "post_reactions_by_type_total", 4)
	if c := m["clicks"]; c.Value != nil || c.PlatformMetric != "post_clicks" {
		t.Errorf("clicks = %+v, want unknown (nil) from post_clicks", c)
	}
	// 1 batch rejected, then reach ×2 (rejected, fallback), views, clicks, engagements.
	if n := len(b.fake.Calls()) - before; n != 6 {
		t.Errorf("calls for the first post = %d, want 6", n)
	}

	before = len(b.fake.Calls())
	got = statsOf(t, b, ids[1:])
	calls := b.fake.Calls()[before:]
	if len(calls) != 1 || calls[0].Form.Get("metric") != "post_impressions_unique,post_media_view,post_clicks,post_reactions_by_type_total" {
		t.Errorf("second post: %d calls, metric=%q; want one call with the learnt names", len(calls), calls[0].Form.Get("metric"))
	}
	wantValue(t, byMetric(got[ids[1]])["reach"], "post_impressions_unique", 80)
}

func TestStatsMetricWithEveryNameRejectedIsUnknown(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *facebook.Config) {
		c.Metrics = []facebook.MetricNames{
			{Metric: "impressions", Names: []string{"post_impressions"}},
			{Metric: "views", Names: []string{"post_media_view"}},
		}
	})
	ids := publishN(t, b, 1)
	b.fake.SetInsights(ids[0], map[string]any{"post_media_view": 9})

	got := statsOf(t, b, ids)
	m := byMetric(got[ids[0]])
	if s := m["impressions"]; s.Value != nil || s.PlatformMetric != "" {
		t.Errorf("impressions = %+v, want unknown with no platform name", s)
	}
	wantValue(t, m["views"], "post_media_view", 9)
}

func TestStatsOneBadPostDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ids := publishN(t, b, 1)
	b.fake.SetInsights(ids[0], map[string]any{"post_media_view": 5})

	got, err := b.client.Stats(t.Context(), []string{pageID + "_999999", ids[0]})
	if err == nil {
		t.Error("no error for the missing post")
	}
	if len(got) != 1 {
		t.Fatalf("got %d posts, want 1", len(got))
	}
	wantValue(t, byMetric(got[ids[0]])["views"], "post_media_view", 5)
}
