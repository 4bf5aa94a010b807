package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
)

// handedOver dispatches item's due posts on a service without platform
// credentials (config.Outbox off) and returns its one delivery, now
// waiting for a person.
func handedOver(t *testing.T, e *apptest.Env, item string) deliveries.Delivery {
	t.Helper()
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait() // what it started, handed over to a person included
	list := deliveriesOf(t, e, item)
	if len(list) != 1 || list[0].State != deliveries.StateAwaitingManual {
		t.Fatalf("handed over: %+v", list)
	}
	return list[0]
}

// TestManualFormsKeepWhatWasTyped: a refused skip keeps its reason, and
// every form of a card answers at that card (its fragment), so that on a
// phone the error is on screen, not two screens below the top.
func TestManualFormsKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) { c.Outbox = false })
	item := approvedPost(t, e, "Ngày hội áo cam", e.Clock.Now().Add(time.Hour), "facebook")
	e.Clock.Advance(61 * time.Minute)
	id := handedOver(t, e, item).ID
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/manual").want(200).has(`id="d-`+id+`"`, `action="/manual/`+id+`/skip#d-`+id+`"`, `action="/manual/`+id+`/posted#d-`+id+`"`)
	ed.post("/manual/"+id+"/skip", url.Values{"reason": {"ab"}}).want(http.StatusUnprocessableEntity).sound().
		has("Hãy ghi lý do", `value="ab"`, `<details class="skip" open>`)
	ed.post("/manual/"+id+"/posted", url.Values{"url": {"https://example.com/x"}}).want(http.StatusUnprocessableEntity).
		has(`value="https://example.com/x"`)
	ed.post("/manual/"+id+"/skip", url.Values{"reason": {"Trang Facebook đang bảo trì"}}).redirects("/manual?skipped=1")
	if list := deliveriesOf(t, e, item); len(list) != 1 || list[0].State != deliveries.StateCancelled || list[0].SkipReason != "Trang Facebook đang bảo trì" {
		t.Fatalf("after the skip: %+v", list)
	}
	// Nothing of it is pending now: editing it warns of no cancellations.
	ed.get("/items/" + item).want(200).has("Nội dung này đã được duyệt. Nếu lưu thay đổi, nội dung sẽ trở về bản nháp và phải được duyệt lại.").
		lacks("0 lượt phát đang chờ")
	f := url.Values{"version": {"1"}, "kind": {"post"}, "campaign_id": {gbv2026}, "title": {"Ngày hội áo cam"},
		"body": {"Mời bà con mặc áo cam."}, "channels": {"facebook"}, "mode": {"once"}, "at_date": {"2026-11-25"}, "at_time": {"08:00"}}
	ed.post("/items/"+item, f).redirects("/items/" + item + "?saved=1")
	ed.get("/items/" + item).want(200).has("nội dung đã duyệt trở về bản nháp").lacks("0 lượt phát đang chờ")
}
