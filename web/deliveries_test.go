package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/scheduler"
)

// approvedPost creates, submits and approves a post on channels due at at,
// through the API, and returns its id.
func approvedPost(t *testing.T, e *apptest.Env, title string, at time.Time, channels ...string) string {
	t.Helper()
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "post", "title": title,
		"body": "Nội dung.", "channels": channels, "schedule": map[string]any{"at": at.Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	return it.ID
}

func deliveriesOf(t *testing.T, e *apptest.Env, item string) []scheduler.Delivery {
	t.Helper()
	list, err := e.App.Scheduler.List(apptest.Scoped("lien-minh"), scheduler.Filter{ItemID: item})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestDeliveriesShowProblemsAndRetry(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	late := approvedPost(t, e, "Bài đăng bị lỡ giờ", e.Clock.Now().Add(2*time.Minute), "facebook")
	dead := approvedPost(t, e, "Bài bị nền tảng từ chối", e.Clock.Now().Add(8*time.Hour), "zalo")
	// The server was down for seven hours: the Facebook post is missed.
	e.Clock.Advance(7 * time.Hour)
	ctx := apptest.Scoped("lien-minh")
	if err := e.App.Scheduler.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Scheduler.Wait()
	d := deliveriesOf(t, e, dead)[0]
	if _, err := e.DB.Collection("deliveries").UpdateOne(t.Context(), map[string]any{"_id": d.ID}, map[string]any{"$set": map[string]any{
		"state": "dead", "attempts": 1, "error_class": "permanent", "last_error": "permanent -201: Bài viết vi phạm chính sách"}}); err != nil {
		t.Fatal(err)
	}
	// The Facebook page lost its token: the channel is paused.
	if _, err := e.DB.Collection("channel_state").InsertOne(t.Context(), map[string]any{"_id": "lien-minh|facebook",
		"commune_id": "lien-minh", "channel": "facebook", "status": "reconnect", "reason": "auth_invalid 190: token expired",
		"paused_until": e.Clock.Now().Add(24 * time.Hour).UTC(), "updated_at": e.Clock.Now().UTC()}); err != nil {
		t.Fatal(err)
	}

	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	p := ed.get("/deliveries").want(200).sound()
	p.has("Lượt phát, đăng", "Trang Facebook đang tạm dừng.", "Việc cần làm: kết nối lại", "auth_invalid 190: token expired",
		"Bài đăng bị lỡ giờ", `<span class="badge missed">Bị lỡ</span>`, "Quá giờ: hệ thống không gửi được đúng lúc",
		"Bài bị nền tảng từ chối", `<span class="badge dead">Thất bại</span>`, "Nền tảng từ chối bài này",
		"permanent -201: Bài viết vi phạm chính sách", "Chi tiết kỹ thuật", "lúc 09:02 20/11/2026",
		`action="/deliveries/`+d.ID+`/retry"`, `name="back" value="/deliveries"`, "Gửi lại")
	// Managers and admins see the failures, but only editors retry.
	as(t, e, accounts.RoleManager, "lien-minh").get("/deliveries").want(200).has("Bài đăng bị lỡ giờ").lacks("/retry")
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/deliveries").want(200).has("Bài bị nền tảng từ chối").lacks("/retry")
	as(t, e, accounts.RoleOperator, "lien-minh").get("/deliveries").want(403)

	ed.post("/deliveries/"+d.ID+"/retry", url.Values{"back": {"/deliveries?channel=zalo"}}).redirects("/deliveries?channel=zalo&retried=1")
	if got := deliveriesOf(t, e, dead)[0]; got.State != scheduler.StateQueued {
		t.Fatalf("after retry: %+v", got)
	}
	ed.get("/deliveries?channel=zalo&retried=1").want(200).has("Đã xếp lượt này vào hàng gửi lại ngay.").lacks("Bài bị nền tảng từ chối")
	ed.post("/deliveries/"+d.ID+"/retry", url.Values{"back": {"https://evil.example/"}}).want(http.StatusConflict).has("Không gửi lại được")
	ed.post("/deliveries/x-unknown/retry", nil).want(404)
	missed := deliveriesOf(t, e, late)[0]
	ed.post("/deliveries/"+missed.ID+"/retry", url.Values{"back": {"https://evil.example/"}}).redirects("/deliveries?retried=1")

	// Every state, filtered by channel and item.
	ed.get("/deliveries?state=all&channel=zalo").want(200).has(`<span class="badge queued">Chờ gửi</span>`, "Bài bị nền tảng từ chối").
		lacks("Bài đăng bị lỡ giờ")
	ed.get("/deliveries?state=all&item="+late).want(200).has("Nội dung:", "<b>Bài đăng bị lỡ giờ</b>", "Bỏ lọc").lacks("Bài bị nền tảng từ chối")
	ed.get("/deliveries?state=sent").want(200).has("Không có lượt phát nào khớp bộ lọc.")
	ed.get("/deliveries?state=bogus").want(400)
	ed.get("/deliveries").want(200).has("Không có lượt phát nào bị lỗi, bị lỡ hay thất bại.")
}

func TestDeliveriesExplainLoudspeakerSlots(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st := newStation(t, e, "Cụm loa số 1", "Thôn Bắc", 90)
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Bài phát thanh sáng",
		"body": "Nội dung.", "channels": []string{"loudspeaker"}, "station_ids": []string{st},
		"schedule": map[string]any{"times": []string{"06:00"}, "from": "2026-11-21", "to": "2026-11-21"}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	e.Clock.Advance(2 * 24 * time.Hour)
	if _, err := e.App.Scheduler.MissUnconfirmed(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	as(t, e, accounts.RoleEditor, "lien-minh").get("/deliveries").want(200).sound().
		has("Bài phát thanh sáng", "Truyền thanh cơ sở · Cụm loa số 1", "Không ai xác nhận đã phát trong ngày.",
			"Lượt phát loa không gửi lại từ đây").lacks("/retry")
}
