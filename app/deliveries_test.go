package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/deliveries"
)

// TestDeliveriesAPIReadsEveryAge: GET /api/v1/deliveries with a range,
// a campaign or a page reads the archive too (a dead post stays listed
// after the two days in the hot collection), one page at a time, with the
// whole count in X-Total-Count, the next page in Link, and the contract's
// fields.
func TestDeliveriesAPIReadsEveryAge(t *testing.T) {
	t.Parallel()
	e := apptest.New(t) // Friday 2026-11-20 09:00
	l := setupLoudspeakers(t, e)
	ctx := apptest.Scoped("lien-minh")
	for i, title := range []string{"Bài một", "Bài hai", "Bài ba"} {
		approvedPostAt(t, l, title, e.Clock.Now().Add(time.Duration(i+1)*time.Minute))
	}
	e.Clock.Advance(5 * time.Minute)
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	var hot []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?state=sent", l.mgr, nil).Want(200).JSON(&hot)
	if len(hot) != 3 {
		t.Fatalf("%d sent in the hot collection, want 3", len(hot))
	}
	if _, err := e.DB.Collection("deliveries").UpdateOne(t.Context(), map[string]any{"_id": hot[1].ID}, map[string]any{"$set": map[string]any{
		"state": "dead", "error_class": "permanent", "last_error": "permanent -201: vi phạm chính sách"}}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(3 * 24 * time.Hour)
	if n, err := e.App.Deliveries.Archive(ctx); err != nil || n != 3 {
		t.Fatalf("archived %d (%v)", n, err)
	}
	e.Do("GET", "/api/v1/deliveries?state=dead", l.mgr, nil).Want(200).JSON(&hot)
	if len(hot) != 0 {
		t.Fatalf("the hot listing still has %+v", hot)
	}

	var list []map[string]any
	res := e.Do("GET", "/api/v1/deliveries?state=problems&from=2026-11-01", l.ed, nil).Want(200)
	res.JSON(&list)
	if len(list) != 1 || list[0]["state"] != "dead" || list[0]["last_error"] != "permanent -201: vi phạm chính sách" {
		t.Fatalf("problems: %+v", list)
	}
	for _, field := range []string{"id", "item_id", "channel", "due_at", "state", "attempts", "last_error", "external_id", "sent_at"} {
		if _, ok := list[0][field]; !ok {
			t.Errorf("an archived delivery lacks %q: %v", field, list[0])
		}
	}
	e.Do("GET", "/api/v1/deliveries?state=problems", l.ed, nil).Want(200).JSON(&list)
	if len(list) != 1 || list[0]["state"] != "dead" {
		t.Fatalf("state=problems alone: %+v", list)
	}
	res = e.Do("GET", "/api/v1/deliveries?campaign="+gbvCampaign+"&limit=2", l.mgr, nil).Want(200)
	var page []deliveries.Delivery
	res.JSON(&page)
	if res.Header.Get("X-Total-Count") != "3" || len(page) != 2 || page[0].Title != "Bài một" || page[1].State != "dead" ||
		!strings.Contains(res.Header.Get("Link"), "page=2") || !strings.HasSuffix(res.Header.Get("Link"), `>; rel="next"`) {
		t.Fatalf("first page: %+v, headers %v", page, res.Header)
	}
	res = e.Do("GET", "/api/v1/deliveries?campaign="+gbvCampaign+"&limit=2&page=2", l.mgr, nil).Want(200)
	res.JSON(&page)
	if len(page) != 1 || page[0].Title != "Bài ba" || page[0].SentAt == nil || res.Header.Get("Link") != "" {
		t.Fatalf("second page: %+v", page)
	}
	var none json.RawMessage
	e.Do("GET", "/api/v1/deliveries?from=2026-11-21&to=2026-11-22", l.mgr, nil).Want(200).JSON(&none)
	if string(none) != "[]" {
		t.Errorf("an empty range: %s", none)
	}
	for _, bad := range []string{"from=2026-02-30", "from=2026-11-20&to=2026-11-01", "limit=0", "limit=501", "page=x", "state=problems&channel=tiktok"} {
		if code := e.Do("GET", "/api/v1/deliveries?"+bad, l.mgr, nil).Want(400).ErrorCode(); code == "" {
			t.Errorf("%s: no error code", bad)
		}
	}
	for _, role := range []accounts.Role{accounts.RoleOperator, accounts.RoleProvince} {
		e.Do("GET", "/api/v1/deliveries?from=2026-11-01", e.User(role, "lien-minh"), nil).Want(403)
	}
	if !slices.ContainsFunc(page, func(d deliveries.Delivery) bool { return d.CampaignID == gbvCampaign }) {
		t.Error("the campaign filter lost the campaign")
	}
}
