package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
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

func deliveriesOf(t *testing.T, e *apptest.Env, item string) []deliveries.Delivery {
	t.Helper()
	list, err := e.App.Deliveries.List(apptest.Scoped("lien-minh"), deliveries.Filter{ItemID: item, Archived: true})
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
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
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
		`action="/deliveries/`+d.ID+`/retry"`, `name="back" value="/deliveries"`, "Gửi lại").lacks("data-confirm")
	// Managers and admins see the failures, but only editors retry.
	as(t, e, accounts.RoleManager, "lien-minh").get("/deliveries").want(200).has("Bài đăng bị lỡ giờ").lacks("/retry")
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/deliveries").want(200).has("Bài bị nền tảng từ chối").lacks("/retry")
	as(t, e, accounts.RoleOperator, "lien-minh").get("/deliveries").want(403)

	ed.post("/deliveries/"+d.ID+"/retry", url.Values{"back": {"/deliveries?channel=zalo"}}).redirects("/deliveries?channel=zalo&retried=1")
	if got := deliveriesOf(t, e, dead)[0]; got.State != deliveries.StateQueued {
		t.Fatalf("after retry: %+v", got)
	}
	ed.get("/deliveries?channel=zalo&retried=1").want(200).has("Đã xếp lượt này vào hàng gửi lại ngay.").lacks("Bài bị nền tảng từ chối")
	ed.post("/deliveries/"+d.ID+"/retry", url.Values{"back": {"https://evil.example/"}}).want(http.StatusConflict).has("Không gửi lại được")
	ed.post("/deliveries/x-unknown/retry", nil).want(404)
	missed := deliveriesOf(t, e, late)[0]
	// A week and more later, retrying it is asked first: it would go out now.
	e.Clock.Advance(8 * 24 * time.Hour)
	ed.get("/deliveries").want(200).has(`<form method="post" action="/deliveries/` + missed.ID + `/retry" class="inline" data-confirm="Bài này lẽ ra được đăng ngày 20/11/2026. Gửi lại thì bài sẽ được đăng ngay bây giờ.`)
	ed.post("/deliveries/"+missed.ID+"/retry", url.Values{"back": {"https://evil.example/"}}).redirects("/deliveries?retried=1")

	// Every state, filtered by channel and item.
	ed.get("/deliveries?state=all&channel=zalo").want(200).has(`<span class="badge queued">Chờ gửi</span>`, "Bài bị nền tảng từ chối").
		lacks("Bài đăng bị lỡ giờ")
	ed.get("/deliveries?state=all&item="+late).want(200).has("Nội dung:", "<b>Bài đăng bị lỡ giờ</b>", "Bỏ lọc").lacks("Bài bị nền tảng từ chối")
	ed.get("/deliveries?state=sent").want(200).has("Không có lượt phát nào khớp bộ lọc.")
	ed.get("/deliveries?state=bogus").want(400)
	ed.get("/deliveries").want(200).has("Không có lượt phát nào bị lỗi, bị lỡ hay thất bại trong khoảng này.")
}

// TestDeliveriesListTheArchive: after the two days a finished delivery
// stays in the hot collection, "Cần xử lý" still lists the dead and missed
// ones; every delivery is found by state, channel, campaign and due dates,
// a page at a time; a sent delivery links to where it went when that is a
// public web address, never to the outbox's file.
func TestDeliveriesListTheArchive(t *testing.T) {
	t.Parallel()
	e := apptest.New(t) // Friday 2026-11-20 09:00
	late := approvedPost(t, e, "Bài đăng bị lỡ giờ", e.Clock.Now().Add(2*time.Minute), "facebook")
	dead := approvedPost(t, e, "Bài bị nền tảng từ chối", e.Clock.Now().Add(8*time.Hour), "zalo")
	sent := approvedPost(t, e, "Bài đã lên trang", e.Clock.Now().Add(7*time.Hour), "facebook", "portal")
	e.Clock.Advance(7*time.Hour + time.Minute)
	ctx := apptest.Scoped("lien-minh")
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	for _, d := range deliveriesOf(t, e, sent) {
		link := "https://www.facebook.com/100_200"
		if d.Channel == "portal" {
			link = "file:///var/lib/lantoa/outbox/portal/x.json"
		}
		set(t, e, d.ID, map[string]any{"url": link})
	}
	set(t, e, deliveriesOf(t, e, dead)[0].ID, map[string]any{"state": "dead", "attempts": 1, "error_class": "permanent",
		"last_error": "permanent -201: Bài viết vi phạm chính sách", "finished_at": e.Clock.Now().UTC()})
	e.Clock.Advance(3 * 24 * time.Hour) // 23/11: all of them archived
	if n, err := e.App.Deliveries.Archive(ctx); err != nil || n != 4 {
		t.Fatalf("archived %d (%v), want 4", n, err)
	}

	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/deliveries").want(200).sound().has("Bài đăng bị lỡ giờ", "Bài bị nền tảng từ chối", "Nền tảng từ chối bài này",
		"Lượt phát, đăng có hạn từ 24/10/2026 đến 23/11/2026.", "2 lượt.", `action="/deliveries/`).lacks("Bài đã lên trang")
	p := ed.get("/deliveries?state=sent").want(200).sound()
	p.has("Bài đã lên trang", `<a class="out" href="https://www.facebook.com/100_200" rel="noopener noreferrer">Xem bài đã đăng ↗</a>`).
		lacks("file://", "Bài bị nền tảng từ chối")
	ed.get("/deliveries?state=all&channel=zalo").want(200).has("Bài bị nền tảng từ chối").lacks("Bài đăng bị lỡ giờ", "Bài đã lên trang")
	ed.get("/deliveries?state=all&campaign="+gbv2026).want(200).has("Bài đăng bị lỡ giờ", "Bài đã lên trang",
		"Lượt phát, đăng có hạn từ 15/11/2026 đến 23/11/2026.", `<option value="`+gbv2026+`" selected>`)
	ed.get("/deliveries?state=all&campaign=lien-minh-dv-month-2026").want(200).has("Không có lượt phát nào khớp bộ lọc.")
	ed.get("/deliveries?state=all&from=2026-11-21&to=2026-11-30").want(200).has("Không có lượt phát nào khớp bộ lọc.",
		"Lượt phát, đăng có hạn từ 21/11/2026 đến 30/11/2026.", `name="from" value="2026-11-21"`)
	ed.get("/deliveries?state=all&from=2026-11-30&to=2026-11-01").want(400)
	ed.get("/deliveries?item="+late).want(200).has("Bài đăng bị lỡ giờ", "<b>Bài đăng bị lỡ giờ</b>").lacks("Bài bị nền tảng từ chối")
	// An item's deliveries run on into the future (the item page links here).
	future := approvedPost(t, e, "Bài tuần sau", e.Clock.Now().Add(7*24*time.Hour), "facebook")
	ed.get("/deliveries?state=all&item="+future).want(200).has("Bài tuần sau", "Chờ gửi", "trở đi.")

	// Retried from the archive: queued again, no longer needing attention.
	ed.post("/deliveries/"+deliveriesOf(t, e, dead)[0].ID+"/retry", url.Values{"back": {"/deliveries"}}).redirects("/deliveries?retried=1")
	ed.get("/deliveries").want(200).has("Bài đăng bị lỡ giờ", "1 lượt.").lacks("Bài bị nền tảng từ chối")
}

// set changes fields of a delivery in the hot collection, as the
// dispatcher would have.
func set(t *testing.T, e *apptest.Env, id string, fields map[string]any) {
	t.Helper()
	if _, err := e.DB.Collection("deliveries").UpdateOne(t.Context(), map[string]any{"_id": id}, map[string]any{"$set": fields}); err != nil {
		t.Fatal(err)
	}
}

// TestDeliveriesPages: a long list is cut into pages of 50 with links
// that keep the filters.
func TestDeliveriesPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st := newStation(t, e, "Cụm loa số 1", "Thôn Bắc", 90)
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Bài phát thanh",
		"body": "Nội dung.", "channels": []string{"loudspeaker"}, "station_ids": []string{st},
		"schedule": map[string]any{"times": []string{"06:00", "11:00", "17:30", "19:00"}, "from": "2026-11-21", "to": "2026-12-10"}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	b := as(t, e, accounts.RoleManager, "lien-minh")
	// Materialised 14 days ahead (to 04/12 09:00): 53 slots.
	b.get("/deliveries?state=queued&to=2026-12-31&from=2026-11-01").want(200).sound().has("Lượt 1–50 trên 53.", "Bài phát thanh",
		`href="/deliveries?from=2026-11-01&amp;page=2&amp;state=queued&amp;to=2026-12-31" rel="next"`).lacks(`rel="prev"`)
	b.get("/deliveries?state=queued&to=2026-12-31&from=2026-11-01&page=2").want(200).has("Lượt 51–53 trên 53.", `rel="prev"`).lacks(`rel="next"`)
	b.get("/deliveries?state=queued&channel=loudspeaker&to=2026-11-22").want(200).has("8 lượt.").lacks(`rel="next"`)
	// Every state ends today by default (the queue to come would fill the
	// first pages); queued deliveries run on into the future.
	b.get("/deliveries?state=all").want(200).has("Không có lượt phát nào khớp bộ lọc.", "đến 20/11/2026.")
	b.get("/deliveries?state=queued").want(200).has("Lượt 1–50 trên 53.", "lúc 06:00 04/12/2026", "trở đi.")

	// A filter the list cannot take is the same page again, its filters as
	// chosen, saying why: not an error page without them.
	b.get("/deliveries?state=queued&from=2026-11-30&to=2026-11-21").want(http.StatusBadRequest).sound().
		has("“Đến ngày” đang trước “Từ ngày”.", `name="from" value="2026-11-30"`, `name="to" value="2026-11-21" aria-invalid="true"`,
			`<option value="queued" selected>`, "Bỏ lọc").lacks("Bài phát thanh", "Lỗi 400", "Không có lượt phát nào")
	b.get("/deliveries?from=2020-01-01&to=2026-11-21").want(http.StatusBadRequest).
		has("Khoảng ngày chưa hợp lệ", `name="from" value="2020-01-01" aria-invalid="true"`)
	b.get("/deliveries?state=nonsense").want(http.StatusBadRequest).has("Bộ lọc chưa hợp lệ.", "Bỏ lọc")
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
	if _, err := e.App.Deliveries.MissUnconfirmed(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	as(t, e, accounts.RoleEditor, "lien-minh").get("/deliveries").want(200).sound().
		has("Bài phát thanh sáng", "Truyền thanh cơ sở · Cụm loa số 1", "Không ai xác nhận đã phát trong ngày.",
			"Lượt phát loa không gửi lại từ đây").lacks("/retry")
}
