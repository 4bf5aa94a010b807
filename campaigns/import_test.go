package campaigns

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

type planEnv struct {
	s    *Service
	ctx  context.Context
	camp string
	a    Actor
}

func newPlanEnv(t *testing.T) planEnv {
	t.Helper()
	db := storetest.DB(t)
	now := func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, hcm) }
	s := NewService(Deps{DB: db, Stations: stations.NewService(db, nil, now, slog.New(slog.DiscardHandler)), Now: now, Location: hcm,
		Log: slog.New(slog.DiscardHandler)})
	ctx := store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"})
	title, start, end := "Tháng hành động 2026", "2026-11-15", "2026-12-15"
	c, err := s.CreateCampaign(ctx, "admin", CampaignInput{Title: &title, Start: &start, End: &end})
	if err != nil {
		t.Fatal(err)
	}
	return planEnv{s: s, ctx: ctx, camp: c.ID, a: Actor{UserID: "u1", Username: "bien.tap"}}
}

// posts are n valid rows, numbered from row 2 as under a header.
func posts(n int) []PlanRow {
	rows := make([]PlanRow, n)
	for i := range rows {
		kind, title, body := KindPost, fmt.Sprintf("Bài số %d", i+1), "Nội dung"
		at := time.Date(2026, 11, 16+i%28, 8, 0, 0, 0, hcm)
		rows[i] = PlanRow{Row: i + 2, Input: ItemInput{Kind: &kind, Title: &title, Body: &body,
			Channels: &[]string{"facebook"}, Schedule: &Schedule{At: &at}}}
	}
	return rows
}

func (e planEnv) count(t *testing.T, col string, f bson.M) int64 {
	t.Helper()
	n, err := e.s.items.Database().Collection(col).CountDocuments(e.ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportPlanAllOrNothing: one invalid row among 2,000 stores nothing;
// once fixed, all 2,000 are created with an audit entry each, and the same
// rows imported again create nothing.
func TestImportPlanAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newPlanEnv(t)
	rows := posts(MaxPlanRows)
	rows[1997].Input.Channels = &[]string{"loudspeaker"} // spreadsheet row 1,999
	_, err := e.s.ImportPlan(e.ctx, e.a, e.camp, rows)
	var rej *PlanRejectedError
	var v *apperr.ValidationError
	if !errors.As(err, &rej) || len(rej.Errors) != 1 || rej.Errors[0].Row != 1999 || !errors.As(err, &v) || v.Field != "channels" {
		t.Fatalf("import with a bad row 1,999: %v", err)
	}
	if n := e.count(t, "items", bson.M{}); n != 0 {
		t.Fatalf("%d items stored by a rejected plan", n)
	}
	rows[1997].Input.Channels = &[]string{"zalo"}
	res, err := e.s.ImportPlan(e.ctx, e.a, e.camp, rows)
	if err != nil || res.Created != MaxPlanRows || res.Skipped != 0 {
		t.Fatalf("import: %+v, %v", res.Created, err)
	}
	all, err := e.s.CampaignItems(e.ctx, e.camp)
	if err != nil || len(all) != MaxPlanRows {
		t.Fatalf("CampaignItems: %d items, %v", len(all), err)
	}
	if all[0].Status != StatusDraft || all[0].Author != "bien.tap" || all[0].Version != 1 {
		t.Errorf("imported item %+v", all[0])
	}
	if n := e.count(t, "audit", bson.M{"action": "item.create", "campaign_id": e.camp}); n != MaxPlanRows {
		t.Errorf("%d audit entries, want %d", n, MaxPlanRows)
	}
	again, err := e.s.ImportPlan(e.ctx, e.a, e.camp, rows)
	if err != nil || again.Created != 0 || again.Skipped != MaxPlanRows {
		t.Fatalf("import again: created %d skipped %d, %v", again.Created, again.Skipped, err)
	}
	if n := e.count(t, "items", bson.M{}); n != MaxPlanRows {
		t.Fatalf("%d items after importing twice", n)
	}
}

// TestImportPlanSkipsEditedAndTypedItems: a row already imported is
// skipped even after its item was edited (its id is the row's), and a row
// equal to an item typed by hand is skipped too (its content is the row's).
func TestImportPlanSkipsEditedAndTypedItems(t *testing.T) {
	t.Parallel()
	e := newPlanEnv(t)
	rows := posts(3)
	res, err := e.s.ImportPlan(e.ctx, e.a, e.camp, rows[:1])
	if err != nil || res.Created != 1 {
		t.Fatal(res, err)
	}
	edited := "Bài số 1, đã sửa"
	if _, err := e.s.UpdateItem(e.ctx, e.a, res.Items[0].Item.ID, ItemInput{Title: &edited}); err != nil {
		t.Fatal(err)
	}
	typed := rows[1].Input
	typed.CampaignID = &e.camp
	if _, err := e.s.CreateItem(e.ctx, e.a, typed); err != nil {
		t.Fatal(err)
	}
	res, err = e.s.CheckPlan(e.ctx, e.camp, rows)
	if err != nil || res.Created != 1 || res.Skipped != 2 || !res.Items[0].Existing || !res.Items[1].Existing || res.Items[2].Existing {
		t.Fatalf("check: %+v, %v", res, err)
	}
}

// TestInsertPlanUndoesAFailedInsert: when an insert fails part-way (here
// an item of row 1,252 stored meanwhile by another import), the items this
// call stored are removed, the other import's item stays, and the taken id
// is named.
func TestInsertPlanUndoesAFailedInsert(t *testing.T) {
	t.Parallel()
	e := newPlanEnv(t)
	res, err := e.s.CheckPlan(e.ctx, e.camp, posts(MaxPlanRows))
	if err != nil || len(res.Errors) > 0 {
		t.Fatal(err, res.Errors)
	}
	items := make([]Item, len(res.Items))
	for i, p := range res.Items {
		items[i] = p.Item
		items[i].AuthorID, items[i].Author = e.a.UserID, e.a.Username
	}
	other := items[1250]
	other.CreatedAt, other.AuthorID = other.CreatedAt.Add(-time.Second), "u2"
	if _, err := e.s.items.InsertOne(e.ctx, other); err != nil {
		t.Fatal(err)
	}
	err = e.s.insertPlan(e.ctx, items)
	var taken *takenError
	if !errors.As(err, &taken) || len(taken.ids) != 1 || taken.ids[0] != other.ID {
		t.Fatalf("insert with a taken id: %v", err)
	}
	if n := e.count(t, "items", bson.M{}); n != 1 {
		t.Fatalf("%d items left, want only the other import's", n)
	}
	if n := e.count(t, "items", bson.M{"_id": other.ID, "author_id": "u2"}); n != 1 {
		t.Fatal("the other import's item was removed")
	}
}

// TestImportPlanSkipsAMovedItem: an imported item moved to another
// campaign keeps its id; importing the rows again finds the id taken on
// insert, skips that row and creates the others.
func TestImportPlanSkipsAMovedItem(t *testing.T) {
	t.Parallel()
	e := newPlanEnv(t)
	rows := posts(600)
	res, err := e.s.ImportPlan(e.ctx, e.a, e.camp, rows[550:551])
	if err != nil || res.Created != 1 {
		t.Fatal(res, err)
	}
	title, start, end := "Chiến dịch khác", "2026-11-01", "2026-12-31"
	c, err := e.s.CreateCampaign(e.ctx, "admin", CampaignInput{Title: &title, Start: &start, End: &end})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateItem(e.ctx, e.a, res.Items[0].Item.ID, ItemInput{CampaignID: &c.ID}); err != nil {
		t.Fatal(err)
	}
	res, err = e.s.ImportPlan(e.ctx, e.a, e.camp, rows)
	if err != nil || res.Created != 599 || res.Skipped != 1 || !res.Items[550].Existing {
		t.Fatalf("import again: created %d skipped %d, %v", res.Created, res.Skipped, err)
	}
	if n := e.count(t, "items", bson.M{}); n != 600 {
		t.Fatalf("%d items", n)
	}
}

// TestPlanKey: the key is the content, lists in any order; ids differ by
// campaign.
func TestPlanKey(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, hcm)
	a := Item{Kind: KindPost, Title: "A", Body: "B", Channels: []string{"zalo", "facebook"}, Schedule: Schedule{At: &at}}
	b := a
	b.Channels = []string{"facebook", "zalo"}
	utc := at.UTC()
	b.Schedule.At = &utc
	b.ID, b.Status, b.Version, b.CreatedAt = "x", StatusApproved, 3, at
	if PlanKey(a) != PlanKey(b) {
		t.Error("the same content in another order has another key")
	}
	c := a
	c.Title = "A2"
	if PlanKey(a) == PlanKey(c) {
		t.Error("another title has the same key")
	}
	if id := planItemID("c1", PlanKey(a)); len(id) != 24 || id == planItemID("c2", PlanKey(a)) {
		t.Errorf("item id %q", id)
	}
}
