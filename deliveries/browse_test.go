package deliveries_test

import (
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
)

// titles lists a page's deliveries as "title state".
func titles(p deliveries.BrowsePage) []string {
	var out []string
	for _, d := range p.Deliveries {
		out = append(out, d.Title+" "+d.State)
	}
	return out
}

func (b *bundle) browse(q deliveries.BrowseQuery) deliveries.BrowsePage {
	b.T.Helper()
	p, err := b.Deliveries.Browse(b.Ctx, q)
	if err != nil {
		b.T.Fatalf("browse %+v: %v", q, err)
	}
	return p
}

// TestBrowseReadsTheArchiveByMonth: deliveries that ended more than two
// days ago (archived) are still listed — problems by default, sent ones with
// their link — filtered by state, channel, campaign and due dates, a page at
// a time; a retried archived delivery is listed once, in its new state.
func TestBrowseReadsTheArchiveByMonth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fb.set(publishers.Errorf(publishers.Permanent, "100", "policy"))
	dead := b.DueNow(post("Bị từ chối", b.Clock.Now().Add(time.Minute)))
	b.dispatch()
	b.fb.set(nil)
	late := b.Approved(post("Lỡ giờ", b.Clock.Now().Add(time.Minute)))
	b.Clock.Advance(7 * time.Hour)
	b.dispatch()
	b.DueNow(post("Đã đăng", b.Clock.Now().Add(time.Minute)))
	b.dispatch()
	b.Clock.Advance(3 * 24 * time.Hour) // 23/11 16:00: all three archived
	if n, err := b.Deliveries.Archive(b.Ctx); err != nil || n != 3 {
		t.Fatalf("archived %d (%v), want 3", n, err)
	}
	b.Approved(post("Sắp đăng", b.Clock.Now().Add(48*time.Hour)))
	if n := b.Count(bson.M{}); n != 1 {
		t.Fatalf("%d deliveries left in the hot collection, want 1", n)
	}

	// Problems (what "Cần xử lý" shows): archived dead and missed, newest first.
	p := b.browse(deliveries.BrowseQuery{State: deliveries.Problems})
	if got := titles(p); !slices.Equal(got, []string{"Lỡ giờ missed", "Bị từ chối dead"}) || p.From != "2026-10-24" || p.To != "" {
		t.Fatalf("problems %q from %s to %q", got, p.From, p.To)
	}
	if d := p.Deliveries[1]; d.LastError != "permanent 100: policy" || d.ErrorClass != "permanent" || d.Attempts != 1 ||
		d.Channel != "facebook" || d.CampaignID == "" || d.ItemID != dead.ID || d.FinishedAt == nil {
		t.Errorf("an archived dead delivery lost its fields: %+v", d)
	}
	all := b.browse(deliveries.BrowseQuery{Oldest: true})
	if got := titles(all); !slices.Equal(got, []string{"Bị từ chối dead", "Lỡ giờ missed", "Đã đăng sent", "Sắp đăng queued"}) {
		t.Fatalf("all, oldest first: %q", got)
	}
	if sent := all.Deliveries[2]; sent.ExternalID != "page_"+sent.ID || sent.SentAt == nil {
		t.Errorf("an archived sent delivery lost its receipt: %+v", sent)
	}
	for _, c := range []struct {
		q    deliveries.BrowseQuery
		want []string
	}{
		{deliveries.BrowseQuery{State: deliveries.StateSent}, []string{"Đã đăng sent"}},
		{deliveries.BrowseQuery{State: deliveries.StateQueued}, []string{"Sắp đăng queued"}},
		{deliveries.BrowseQuery{Channel: "zalo"}, nil},
		{deliveries.BrowseQuery{From: "2026-11-21", To: "2026-11-30"}, []string{"Sắp đăng queued"}},
		{deliveries.BrowseQuery{From: "2026-11-01", To: "2026-11-20"}, []string{"Đã đăng sent", "Lỡ giờ missed", "Bị từ chối dead"}},
		{deliveries.BrowseQuery{CampaignID: "lien-minh-dv-month-2026"}, nil},
		{deliveries.BrowseQuery{CampaignID: "lien-minh-gbv-month-2026", State: deliveries.StateDead}, []string{"Bị từ chối dead"}},
		{deliveries.BrowseQuery{ItemID: late.ID}, []string{"Lỡ giờ missed"}},
		{deliveries.BrowseQuery{Limit: 3, Page: 2}, []string{"Bị từ chối dead"}},
		{deliveries.BrowseQuery{Limit: 3, Page: 9}, []string{"Bị từ chối dead"}},
	} {
		if got := titles(b.browse(c.q)); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.q, got, c.want)
		}
	}
	if p := b.browse(deliveries.BrowseQuery{Limit: 3}); p.Total != 4 || p.Pages != 2 || p.Page != 1 || len(p.Deliveries) != 3 {
		t.Errorf("first page of 3: %+v", p)
	}
	// A campaign's browse starts at the campaign's start
	// (campaigns.Service.DeliveriesStart, as the API and the page ask it).
	camp := "lien-minh-gbv-month-2026"
	if p := b.browse(deliveries.BrowseQuery{CampaignID: camp, Start: b.Campaigns.DeliveriesStart(b.Ctx, "", camp)}); p.From != "2026-11-15" {
		t.Errorf("a campaign's deliveries from %s, want its start 2026-11-15", p.From)
	}

	// Retried: back in the hot collection, out of the digest, listed once.
	if _, err := b.Deliveries.Retry(b.Ctx, "editor", b.One(dead.ID).ID); err != nil {
		t.Fatal(err)
	}
	if got := titles(b.browse(deliveries.BrowseQuery{State: deliveries.Problems})); !slices.Equal(got, []string{"Lỡ giờ missed"}) {
		t.Errorf("problems after a retry: %q", got)
	}
	if got := titles(b.browse(deliveries.BrowseQuery{ItemID: dead.ID})); !slices.Equal(got, []string{"Bị từ chối queued"}) {
		t.Errorf("the retried delivery: %q", got)
	}

	for _, bad := range []deliveries.BrowseQuery{{State: "bogus"}, {Channel: "tiktok"}, {From: "2026-02-30"}, {From: "2026-11-20", To: "2026-11-19"},
		{From: "2020-01-01", To: "2026-01-01"}, {Limit: 501}, {Page: -1}} {
		if _, err := b.Deliveries.Browse(b.Ctx, bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}

// TestBrowseBackfillsAnOlderArchive: deliveries archived before the
// digests existed get theirs on the archive job's first run.
func TestBrowseBackfillsAnOlderArchive(t *testing.T) {
	t.Parallel()
	b := setup(t)
	due := time.Date(2026, 6, 3, 6, 0, 0, 0, hcm)
	old := deliveries.Delivery{ID: "old-1", CommuneID: "lien-minh", ItemID: "it-1", CampaignID: "lien-minh-dv-month-2026", Kind: "post",
		Title: "Bài tháng sáu", Channel: "zalo", DueAt: due.UTC(), Day: "2026-06-03", Slot: "06:00", State: deliveries.StateDead,
		LastError: "permanent -201: bài vi phạm", RunAt: due.UTC()}
	other := old
	other.ID, other.CommuneID = "old-2", "an-binh"
	if _, err := b.DB.Collection("deliveries_archive").InsertMany(b.Ctx, []any{old, other}); err != nil {
		t.Fatal(err)
	}
	q := deliveries.BrowseQuery{State: deliveries.Problems, From: "2026-06-01"}
	if got := titles(b.browse(q)); len(got) != 0 {
		t.Fatalf("before the archive job: %q", got)
	}
	if _, err := b.Deliveries.Archive(b.Ctx); err != nil {
		t.Fatal(err)
	}
	if got := titles(b.browse(q)); !slices.Equal(got, []string{"Bài tháng sáu dead"}) {
		t.Fatalf("after the archive job: %q (another commune's delivery must not show)", got)
	}
}
