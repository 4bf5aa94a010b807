package zalo_test

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestReconcileMatchesTitle(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	rc, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Lên tiếng  vì phụ nữ", "x"))
	if err != nil {
		t.Fatal(err)
	}

	got, found, err := b.client.Reconcile(t.Context(), b.delivery(), post(t, norm.NFD.String("Lên tiếng vì phụ nữ"), "khác"))
	if err != nil || !found || got.ExternalID != rc.ExternalID {
		t.Errorf("same title in NFD: %+v %v %v", got, found, err)
	}
	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), post(t, "Tiêu đề khác", "x")); err != nil || found {
		t.Errorf("other title: found %v, %v", found, err)
	}
}

func TestReconcileIgnoresLastWeeksArticleWithTheSameTitle(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := post(t, "Bản tin hằng tuần", "x")
	if _, err := b.client.Publish(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(7 * 24 * time.Hour)

	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), ct); err != nil || found {
		t.Errorf("found %v, %v; want last week's article ignored", found, err)
	}
}

func TestReconcilePagesByTen(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	for i := range 25 {
		if _, err := b.client.Publish(t.Context(), b.delivery(), post(t, fmt.Sprint("Bài ", i), "x")); err != nil {
			t.Fatal(err)
		}
	}
	rc, found, err := b.client.Reconcile(t.Context(), b.delivery(), post(t, "Bài 0", "x"))
	if err != nil || !found || rc.ExternalID != b.fake.Articles()[0].ID {
		t.Fatalf("oldest article: %+v %v %v", rc, found, err)
	}
	pages := b.callsTo("/v2.0/article/getslice")
	if len(pages) != 3 {
		t.Errorf("getslice calls = %d, want 3", len(pages))
	}
	for i, p := range pages {
		if p.Query.Get("limit") != "10" || p.Query.Get("type") != "normal" || p.Query.Get("offset") != fmt.Sprint(i*10) || p.AccessToken == "" {
			t.Errorf("page %d query = %v", i, p.Query)
		}
	}
}

func TestStatsFromTheArticleList(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	var ids []string
	for i := range 3 {
		rc, err := b.client.Publish(t.Context(), b.delivery(), post(t, fmt.Sprint("Bài ", i), "x"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rc.ExternalID)
	}
	b.fake.SetStats(ids[0], 321, 12)
	before := len(b.callsTo("/v2.0/article/getslice"))

	got, err := b.client.Stats(t.Context(), append(ids, "art-missing"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.callsTo("/v2.0/article/getslice")) - before; n != 1 {
		t.Errorf("getslice calls = %d, want 1", n)
	}
	st := got[ids[0]]
	if len(st) != 2 || st[0].Metric != "views" || *st[0].Value != 321 || st[0].PlatformMetric != "total_view" ||
		st[1].Metric != "shares" || *st[1].Value != 12 || st[1].PlatformMetric != "total_share" || st[0].APIVersion != "v2.0" {
		t.Errorf("stats = %+v", st)
	}
	if v := got[ids[1]][0].Value; v == nil || *v != 0 {
		t.Errorf("article with 0 views: %v, want 0 (known)", v)
	}
	for _, s := range got["art-missing"] {
		if s.Value != nil {
			t.Errorf("missing article %s = %d, want unknown", s.Metric, *s.Value)
		}
	}
}
