package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
)

// TestManualFormsKeepWhatWasTyped: a refused skip keeps its reason, and
// every form of a card answers at that card (its fragment), so that on a
// phone the error is on screen, not two screens below the top.
func TestManualFormsKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.Outbox = false })
	edTok, mgrTok := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", edTok, map[string]any{"campaign_id": gbv2026, "kind": "post", "title": "Ngày hội áo cam",
		"body": "Mời bà con mặc áo cam hưởng ứng ngày 25/11.", "channels": []string{"facebook"},
		"schedule": map[string]any{"at": e.Clock.Now().Add(time.Hour).Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", edTok, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgrTok, nil).Want(200)
	e.Clock.Advance(61 * time.Minute)
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, edTok, nil).Want(200).JSON(&list)
	if len(list) != 1 {
		t.Fatalf("deliveries %+v", list)
	}
	id := list[0].ID
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/manual").want(200).has(`id="d-`+id+`"`, `action="/manual/`+id+`/skip#d-`+id+`"`, `action="/manual/`+id+`/posted#d-`+id+`"`)
	ed.post("/manual/"+id+"/skip", url.Values{"reason": {"ab"}}).want(http.StatusUnprocessableEntity).sound().
		has("Hãy ghi lý do", `value="ab"`, `<details class="skip" open>`)
	ed.post("/manual/"+id+"/posted", url.Values{"url": {"https://example.com/x"}}).want(http.StatusUnprocessableEntity).
		has(`value="https://example.com/x"`)
	ed.post("/manual/"+id+"/skip", url.Values{"reason": {"Trang Facebook đang bảo trì"}}).redirects("/manual?skipped=1")
	e.Do("GET", "/api/v1/deliveries?item="+it.ID, edTok, nil).Want(200).JSON(&list)
	if len(list) != 1 || list[0].State != deliveries.StateCancelled || list[0].SkipReason != "Trang Facebook đang bảo trì" {
		t.Fatalf("after the skip: %+v", list)
	}
	// Nothing of it is pending now: editing it warns of no cancellations.
	ed.get("/items/" + it.ID).want(200).has("Nội dung này đã được duyệt. Nếu lưu thay đổi, nội dung sẽ trở về bản nháp và phải được duyệt lại.").
		lacks("0 lượt phát đang chờ")
	f := url.Values{"version": {"1"}, "kind": {"post"}, "campaign_id": {gbv2026}, "title": {"Ngày hội áo cam"},
		"body": {"Mời bà con mặc áo cam."}, "channels": {"facebook"}, "mode": {"once"}, "at_date": {"2026-11-25"}, "at_time": {"08:00"}}
	ed.post("/items/"+it.ID, f).redirects("/items/" + it.ID + "?saved=1")
	ed.get("/items/" + it.ID).want(200).has("nội dung đã duyệt trở về bản nháp").lacks("0 lượt phát đang chờ")
}

// TestRejectAnswersAtItsItem: the reject form of an item in the queue
// answers at that item, whose error and reason as typed are shown there.
func TestRejectAnswersAtItsItem(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	edTok := e.User(accounts.RoleEditor, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", edTok, map[string]any{"campaign_id": gbv2026, "kind": "post", "title": "Ngày 25/11",
		"body": "Hôm nay là ngày quốc tế xóa bỏ bạo lực đối với phụ nữ.", "channels": []string{"facebook"},
		"schedule": map[string]any{"at": e.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", edTok, nil).Want(200)
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	mgr.get("/approvals").want(200).has(`action="/approvals/` + it.ID + `/reject#i-` + it.ID + `"`)
	mgr.post("/approvals/"+it.ID+"/reject", url.Values{"reason": {" "}}).want(http.StatusUnprocessableEntity).
		has(`id="i-`+it.ID+`"`, `aria-invalid="true"`)
}
