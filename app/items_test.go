package app_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers/outbox"
)

func TestPostJourneyToTheOutbox(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	at := e.Clock.Now().Add(2 * time.Minute)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{
		"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Hãy lên tiếng khi thấy bạo lực",
		"body": "Gọi đường dây nóng 111 nếu trẻ em bị bạo lực.", "audiences": []string{"residents", "youth"},
		"channels": []string{"facebook", "portal"}, "schedule": map[string]any{"at": at.Format(time.RFC3339)},
	}).Want(201).JSON(&it)
	if it.Status != "draft" || it.ID == "" {
		t.Fatalf("created %+v", it)
	}
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(409) // still a draft
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(409)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", ed, nil).Want(403) // an editor never approves
	var approved struct {
		Status     string
		Deliveries int
	}
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200).JSON(&approved)
	if approved.Status != "approved" || approved.Deliveries != 2 {
		t.Fatalf("approved: %+v", approved)
	}

	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, mgr, nil).Want(200).JSON(&list)
	if len(list) != 2 || list[0].State != "queued" || !list[0].DueAt.Equal(at) {
		t.Fatalf("deliveries %+v", list)
	}
	ctx := apptest.Scoped("lien-minh")
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	e.Do("GET", "/api/v1/deliveries?item="+it.ID+"&state=queued", mgr, nil).Want(200).JSON(&list)
	if len(list) != 2 {
		t.Fatal("sent before its time")
	}
	e.Clock.Advance(2 * time.Minute)
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	e.Do("GET", "/api/v1/deliveries?item="+it.ID+"&state=sent", mgr, nil).Want(200).JSON(&list)
	if len(list) != 2 || list[0].SentAt == nil {
		t.Fatalf("after its time: %+v", list)
	}
	for _, d := range list {
		path := filepath.Join(e.Config.DataDir, "outbox", d.Channel, "2026-11-20", d.ID+".json")
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("outbox file for %s: %v", d.Channel, err)
		}
		var m outbox.Message
		if err := json.Unmarshal(raw, &m); err != nil || m.Title != "Hãy lên tiếng khi thấy bạo lực" || m.Channel != d.Channel {
			t.Fatalf("outbox message %s: %+v %v", path, m, err)
		}
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit?item="+it.ID, mgr, nil).Want(200).JSON(&audit)
	var actions []string
	for _, a := range audit {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "item.approve,item.submit,item.create" {
		t.Fatalf("audit, newest first: %v", actions)
	}
}

func TestApprovalRules(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	mgr := e.User(accounts.RoleManager, "lien-minh")
	body := map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Bài viết",
		"body": "Nội dung.", "channels": []string{"zalo"}, "schedule": map[string]any{"at": e.Clock.Now().Add(time.Hour).Format(time.RFC3339)}}
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, body).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items", mgr, body).Want(403)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/reject", mgr, map[string]string{"reason": ""}).Want(400)
	e.Do("POST", "/api/v1/items/"+it.ID+"/reject", mgr, map[string]string{"reason": "Thiếu số đường dây nóng"}).Want(200).JSON(&it)
	if it.Status != "draft" || it.RejectReason != "Thiếu số đường dây nóng" {
		t.Fatalf("rejected: %+v", it)
	}
	// A manager who wrote the item (an editor since promoted) cannot approve it.
	author := e.UserNamed("promoted", accounts.RoleEditor, "lien-minh")
	var own campaigns.Item
	e.Do("POST", "/api/v1/items", author, body).Want(201).JSON(&own)
	e.Do("POST", "/api/v1/items/"+own.ID+"/submit", author, nil).Want(200)
	if _, err := e.DB.Collection("users").UpdateOne(t.Context(), bson.M{"username": "promoted"}, bson.M{"$set": bson.M{"role": "manager"}}); err != nil {
		t.Fatal(err)
	}
	if r := e.Do("POST", "/api/v1/items/"+own.ID+"/approve", author, nil).Want(403); !strings.Contains(string(r.Body), "another manager") {
		t.Fatalf("self-approval: %s", r.Body)
	}
	e.Do("POST", "/api/v1/items/"+own.ID+"/approve", mgr, nil).Want(200)
	// Editing approved content returns it to draft and cancels what was pending.
	e.Do("PATCH", "/api/v1/items/"+own.ID, ed, map[string]string{"title": "Bài viết đã sửa"}).Want(200).JSON(&own)
	if own.Status != "draft" || own.Version != 2 {
		t.Fatalf("edited: %+v", own)
	}
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+own.ID, ed, nil).Want(200).JSON(&list)
	if len(list) != 1 || list[0].State != "cancelled" {
		t.Fatalf("after the edit: %+v", list)
	}
	e.Do("GET", "/api/v1/deliveries", e.User(accounts.RoleOperator, "lien-minh"), nil).Want(403)
}

func TestItemValidation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	future := e.Clock.Now().Add(time.Hour).Format(time.RFC3339)
	base := func() map[string]any {
		return map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Tiêu đề", "body": "Nội dung",
			"channels": []string{"facebook"}, "schedule": map[string]any{"at": future}}
	}
	cases := map[string]func(m map[string]any){
		"kind":        func(m map[string]any) { m["kind"] = "video" },
		"channels":    func(m map[string]any) { m["channels"] = []string{"loudspeaker"} },
		"audiences":   func(m map[string]any) { m["audiences"] = []string{"robots"} },
		"station_ids": func(m map[string]any) { m["kind"], m["channels"] = "script", []string{"loudspeaker"} },
		"campaign_id": func(m map[string]any) { m["campaign_id"] = "xa-khac-gbv-month-2026" },
		"schedule.at": func(m map[string]any) { m["schedule"] = map[string]any{"at": "2026-11-19T06:00:00+07:00"} },
		"place":       func(m map[string]any) { m["kind"], m["channels"] = "event", []string{"event"} },
		"link":        func(m map[string]any) { m["link"] = "javascript:alert(1)" },
		"title":       func(m map[string]any) { m["title"] = "" },
	}
	for field, mutate := range cases {
		m := base()
		mutate(m)
		var b struct{ Error struct{ Field string } }
		e.Do("POST", "/api/v1/items", ed, m).Want(400).JSON(&b)
		if b.Error.Field != field {
			t.Errorf("%s: error names %q", field, b.Error.Field)
		}
	}
	m := base()
	m["kind"], m["channels"], m["station_ids"] = "script", []string{"loudspeaker"}, []string{"no-such-station"}
	e.Do("POST", "/api/v1/items", ed, m).Want(400)
	if n, _ := e.DB.Collection("items").CountDocuments(t.Context(), bson.M{}); n != 0 {
		t.Fatalf("%d items stored from bad input", n)
	}
}

// TestDeleteAndWithdraw: an editor deletes a draft that never went out,
// withdraws a submitted item to draft, and cannot delete one that was
// approved once (its deliveries and reach stay on record); the same create
// with an Idempotency-Key stores one item.
func TestDeleteAndWithdraw(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	post := func(key string) campaigns.Item {
		req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/items", strings.NewReader(`{"campaign_id":"lien-minh-gbv-month-2026","kind":"post",
			"title":"Bài đăng","body":"Nội dung","channels":["facebook"],"schedule":{"at":"2026-11-22T08:00:00+07:00"}}`))
		req.Header.Set("Authorization", "Bearer "+ed)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		var it campaigns.Item
		e.Send(req).Want(201).JSON(&it)
		return it
	}
	a, again := post("form-1"), post("form-1")
	if a.ID != again.ID {
		t.Fatalf("the same Idempotency-Key made two items: %s, %s", a.ID, again.ID)
	}
	e.Do("DELETE", "/api/v1/items/"+a.ID, mgr, nil).Want(403)
	e.Do("DELETE", "/api/v1/items/"+a.ID, ed, nil).Want(204)
	e.Do("GET", "/api/v1/items/"+a.ID, ed, nil).Want(404)
	b := post("")
	e.Do("POST", "/api/v1/items/"+b.ID+"/submit", ed, nil).Want(200)
	e.Do("DELETE", "/api/v1/items/"+b.ID, ed, nil).Want(409)
	var w campaigns.Item
	e.Do("POST", "/api/v1/items/"+b.ID+"/withdraw", ed, nil).Want(200).JSON(&w)
	if w.Status != campaigns.StatusDraft {
		t.Fatalf("withdrawn: %s", w.Status)
	}
	e.Do("POST", "/api/v1/items/"+b.ID+"/withdraw", ed, nil).Want(409)
	e.Do("POST", "/api/v1/items/"+b.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+b.ID+"/approve", mgr, nil).Want(200)
	e.Do("PATCH", "/api/v1/items/"+b.ID, ed, map[string]any{"title": "Sửa lại"}).Want(200)
	if r := e.Do("DELETE", "/api/v1/items/"+b.ID, ed, nil).Want(409); !strings.Contains(string(r.Body), "approved before") {
		t.Fatalf("deleting an item approved once: %s", r.Body)
	}
}
