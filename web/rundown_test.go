package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/rundown"
)

// rundownBody is a script of 173 words: at 130 words a minute it reads in
// about 1 minute 20 seconds.
var rundownBody = strings.Repeat("Nói không với bạo lực gia đình. ", 24) + "Gọi 111 khi cần giúp."

// approvedScripts makes two stations and an approved script read on the
// first at 06:00 and 17:30 on day; it returns the stations.
func approvedScripts(t testing.TB, e *apptest.Env, day string) (station, other string) {
	t.Helper()
	adm, ed, mgr := e.Admin(), e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var a, b struct{ ID string }
	e.Do("POST", "/api/v1/stations", adm, map[string]any{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông", "households": 240}).Want(201).JSON(&a)
	e.Do("POST", "/api/v1/stations", adm, map[string]any{"name": "Cụm loa Thôn Tây", "village": "Thôn Tây", "households": 180}).Want(201).JSON(&b)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Chung tay chấm dứt bạo lực gia đình",
		"body": rundownBody, "audiences": []string{"residents"}, "channels": []string{"loudspeaker"}, "station_ids": []string{a.ID},
		"schedule": map[string]any{"times": []string{"06:00", "17:30"}, "from": day, "to": day}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	return a.ID, b.ID
}

var deliveryField = regexp.MustCompile(`name="delivery" value="([^"]+)"`)

func TestRundownPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st, other := approvedScripts(t, e, "2026-11-21")
	op := newBrowser(t, e)
	op.setSession(e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st))
	path := "/stations/" + st + "/rundown?date=2026-11-21"

	// Tomorrow's rundown: read in full, nothing to confirm yet.
	p := op.get(path).want(200).sound()
	p.has("Cụm loa Thôn Đông", "Thôn Đông", "Thứ Bảy, 21/11/2026", "06:00", "17:30", "Chung tay chấm dứt bạo lực gia đình",
		"Nói không với bạo lực gia đình.", "khoảng 1 phút 20 giây", "Chưa phát", "Đây là lịch của ngày sắp tới",
		"?date=2026-11-20", "?date=2026-11-22", "format=txt", "Hôm trước", "Hôm sau", "/static/rundown.", "Lịch phát thanh")
	p.lacks(`name="delivery" value=`)
	op.get("/api/v1/stations/" + st + "/rundown?date=2026-11-21&format=txt").want(200).has("Chung tay chấm dứt bạo lực gia đình")
	// In English, the date and the reading times are English too.
	op.get("/lang?to=en&next=" + url.QueryEscape(path)).redirects("/stations/")
	op.get(path).want(200).has(`<html lang="en">`, "Saturday, 21/11/2026", "about 1 min 20 s").lacks("khoảng", "Thứ Bảy")
	op.get("/lang?to=vi&next=" + url.QueryEscape(path)).redirects("/stations/")

	// Other stations' rundowns are closed to the operator, open to the staff.
	op.get("/stations/" + other + "/rundown").want(http.StatusForbidden).sound().has("không thuộc các cụm loa được giao cho bạn").lacks("Vai trò của bạn")
	op.get("/stations/x-unknown/rundown").want(http.StatusNotFound)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get(path).want(200).sound().has("Chung tay chấm dứt bạo lực gia đình").lacks(`name="delivery"`)
	as(t, e, accounts.RoleManager, "lien-minh").get(path).want(200).has("Chung tay chấm dứt bạo lực gia đình")
	as(t, e, accounts.RoleProvince, "lien-minh").get(path).want(http.StatusForbidden)
	ed.get("/admin/stations").want(200).has(`href="/stations/` + st + `/rundown"`)

	// The operator's station list and navigation.
	op.get("/stations").want(200).sound().has("Cụm loa Thôn Đông").lacks("Cụm loa Thôn Tây")
	as(t, e, accounts.RoleManager, "lien-minh").get("/stations").want(200).has("Cụm loa Thôn Đông", "Cụm loa Thôn Tây")

	// On the day: confirm the morning slot, skip the evening one.
	e.Clock.Set(time.Date(2026, 11, 21, 6, 12, 0, 0, e.Config.Location))
	p = op.get(path).want(200).sound().has("Đã phát", "Không phát được", `name="reason"`, "required", "Báo cáo được từ 17:15")
	ids := deliveryField.FindAllStringSubmatch(p.Body, -1)
	if len(ids) != 2 { // two forms for the morning script; the evening slot opens at 17:15
		t.Fatalf("%d delivery fields, want 2", len(ids))
	}
	morning := ids[0][1]
	var rd rundown.Rundown
	e.Do("GET", "/api/v1/stations/"+st+"/rundown?date=2026-11-21", e.User(accounts.RoleEditor, "lien-minh"), nil).Want(200).JSON(&rd)
	evening := rd.Slots[len(rd.Slots)-1].Items[0].DeliveryID
	ed.post("/stations/"+st+"/rundown", url.Values{"delivery": {morning}, "date": {"2026-11-21"}}).want(http.StatusForbidden)
	op.post("/stations/"+st+"/rundown", url.Values{"delivery": {morning}, "date": {"2026-11-21"}, "status": {"aired"}}).
		redirects("/stations/" + st + "/rundown?date=2026-11-21&done=aired")
	// The evening slot cannot be reported yet: it opens 15 minutes before 17:30.
	op.post("/stations/"+st+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}, "status": {"skipped"}, "reason": {"Mất điện cả thôn"}}).
		want(http.StatusConflict)
	e.Clock.Set(time.Date(2026, 11, 21, 17, 20, 0, 0, e.Config.Location))
	op.post("/stations/"+st+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}, "status": {"skipped"}, "reason": {" "}}).
		want(http.StatusUnprocessableEntity).sound().has("Hãy ghi lý do từ 3 đến 300 ký tự.")
	op.post("/stations/"+st+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}, "status": {"skipped"}, "reason": {"Mất điện cả thôn"}}).
		redirects("/stations/" + st + "/rundown?date=2026-11-21&done=skipped")
	p = op.get(path + "&done=aired").want(200).sound()
	p.has("Đã ghi nhận: bài đã được phát.", "Đã phát lúc 06:12 21/11", "Bỏ qua — lý do: Mất điện cả thôn")
	if n := len(deliveryField.FindAllString(p.Body, -1)); n != 1 { // only the skipped one can still be confirmed
		t.Errorf("%d forms left, want 1", n)
	}
	// Another station's slot cannot be reported through this one.
	op2 := newBrowser(t, e)
	op2.setSession(e.UserNamed("op-tay", accounts.RoleOperator, "lien-minh", other))
	op2.post("/stations/"+st+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}}).want(http.StatusForbidden)
	op2.post("/stations/"+other+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}}).want(http.StatusNotFound)

	// Too late: two days on, the forms are gone and a stale post is refused.
	e.Clock.Set(time.Date(2026, 11, 23, 8, 0, 0, 0, e.Config.Location))
	op.get(path).want(200).lacks(`name="delivery"`)
	op.post("/stations/"+st+"/rundown", url.Values{"delivery": {evening}, "date": {"2026-11-21"}}).
		want(http.StatusConflict).has("Chỉ xác nhận được trong ngày phát và ngày hôm sau.")
}

func TestRundownEnglishAndEmpty(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st, _ := approvedScripts(t, e, "2026-11-21")
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	ed.get("/stations/" + st + "/rundown?date=2026-11-25").want(200).sound().has("Ngày này cụm loa không có bài phát thanh nào.")
	ed.get("/stations/" + st + "/rundown?date=25-11-2026").want(http.StatusBadRequest)
	ed.setCookie("lang", "en")
	ed.get("/stations/"+st+"/rundown?date=2026-11-21").want(200).has("Broadcast rundown", "Reading time:")
}
