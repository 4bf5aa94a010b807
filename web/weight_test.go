package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// maxPageBytes is the weight budget of a page: HTML, CSS and JavaScript,
// without images (SPEC §3H).
const maxPageBytes = 60 << 10

var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js))"`)

// weigh returns the bytes of a page's HTML and of the CSS and JS it links.
func weigh(t *testing.T, b *browser, path string) (html, assets int) {
	t.Helper()
	p := b.get(path).want(200)
	for _, m := range assetRef.FindAllStringSubmatch(p.Body, -1) {
		assets += len(b.get(m[1]).want(200).Body)
	}
	return len(p.Body), assets
}

// TestPageWeights keeps every page under the budget, the calendar included
// on a busy month: a month of twice-daily scripts on five stations and a post
// every day on three channels.
func TestPageWeights(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	busyMonth(t, e)
	seedReach(t, e)
	editor := as(t, e, accounts.RoleEditor, "lien-minh")
	admin := as(t, e, accounts.RoleAdmin, "lien-minh")
	manager := as(t, e, accounts.RoleManager, "lien-minh")
	province := as(t, e, accounts.RoleProvince, "lien-minh")
	script, station := busyQueue(t, e)
	var lf struct{ ID string }
	e.Do("POST", "/api/v1/items", e.User(accounts.RoleEditor, "lien-minh"), map[string]any{"campaign_id": gbv2026, "kind": "leaflet",
		"title": "Tờ rơi", "body": "Gọi 111.", "audiences": []string{"residents"}, "channels": []string{"print"},
		"schedule": map[string]any{"at": "2026-12-10T08:00:00+07:00"}}).Want(201).JSON(&lf)
	leaflet := lf.ID
	operator := newBrowser(t, e)
	operator.setSession(e.UserNamed("op-weight", accounts.RoleOperator, "lien-minh", station))
	pages := []struct {
		b    *browser
		path string
	}{
		{newBrowser(t, e), "/login"},
		{newBrowser(t, e), "/ho-tro"},
		{editor, "/calendar?month=2026-10"},
		{editor, "/calendar?month=2026-11"},
		{editor, "/calendar/subscribe"},
		{editor, "/campaigns/" + gbv2026},
		{editor, "/campaigns/new"},
		{editor, "/campaigns/" + gbv2026 + "/edit"},
		{admin, "/admin/communes"},
		{admin, "/admin/users"},
		{editor, "/items/new?kind=script&campaign=" + gbv2026},
		{editor, "/items/" + script},
		{manager, "/items/" + script},
		{manager, "/approvals"},
		{editor, "/deliveries"},
		{editor, "/deliveries?state=all"},
		{manager, "/reach?year=2026"},
		{manager, "/reach/" + gbv2026},
		{manager, "/reports?year=2026"},
		{province, "/province?year=2026"},
		{editor, "/admin/stations"},
		{editor, "/admin/stations/" + station},
		{editor, "/stations/" + station + "/rundown?date=2026-11-25"},
		{operator, "/stations"},
		{admin, "/admin/channels"},
		{editor, "/items/" + leaflet + "/leaflet"},
		{manager, "/admin/channels"},
		// Last, on the day itself: the operator's rundown with its forms.
		{operator, "/stations/" + station + "/rundown?date=2026-11-25&day"},
	}
	var report strings.Builder
	for _, p := range pages {
		if strings.HasSuffix(p.path, "&day") {
			e.Clock.Set(time.Date(2026, 11, 25, 7, 0, 0, 0, e.Config.Location))
		}
		html, assets := weigh(t, p.b, p.path)
		fmt.Fprintf(&report, "\n%-45s HTML %6d + CSS/JS %5d = %6d bytes", p.path, html, assets, html+assets)
		if html+assets > maxPageBytes {
			t.Errorf("%s weighs %d bytes (HTML %d, CSS and JS %d), over %d", p.path, html+assets, html, assets, maxPageBytes)
		}
	}
	t.Log("page weights:" + report.String())
}

// busyQueue sends the busy month's items for approval and approves two of
// the scripts (their deliveries fill the deliveries page), and adds a long
// script for the editor; it returns that script and a station.
func busyQueue(t *testing.T, e *apptest.Env) (script, station string) {
	t.Helper()
	ctx := apptest.Scoped("lien-minh")
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	sts, err := e.App.Stations.List(ctx)
	if err != nil || len(sts) == 0 {
		t.Fatalf("stations %v %v", sts, err)
	}
	body := strings.TrimSpace(strings.Repeat("Bạo lực gia đình là hành vi vi phạm pháp luật, gây tổn hại cho mọi thành viên trong gia đình. ", 40))
	var it struct{ ID string }
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Bài phát thanh dài",
		"body": body, "audiences": []string{"residents", "men", "women"}, "channels": []string{"loudspeaker"}, "station_ids": []string{sts[0].ID},
		"schedule": map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-12-15", "weekdays": []int{1, 3, 5}},
	}).Want(201).JSON(&it)
	items, err := e.App.Campaigns.ListItems(ctx, campaigns.ItemFilter{CampaignID: gbv2026})
	if err != nil {
		t.Fatal(err)
	}
	approved := 0
	for _, i := range items {
		e.Do("POST", "/api/v1/items/"+i.ID+"/submit", ed, nil).Want(200)
		if i.Kind == "script" && i.ID != it.ID && approved < 2 {
			e.Do("POST", "/api/v1/items/"+i.ID+"/approve", mgr, nil).Want(200)
			approved++
		}
	}
	return it.ID, sts[0].ID
}

// busyMonth schedules November 2026 full: four scripts twice a day on five
// stations, and a post a day on three channels.
func busyMonth(t testing.TB, e *apptest.Env) {
	t.Helper()
	adm, ed := e.Admin(), e.User(accounts.RoleEditor, "lien-minh")
	var stations []string
	for i := range 5 {
		var st struct{ ID string }
		e.Do("POST", "/api/v1/stations", adm, map[string]any{"name": fmt.Sprintf("Cụm loa số %d", i+1),
			"village": fmt.Sprintf("Thôn %d", i+1), "households": 120}).Want(201).JSON(&st)
		stations = append(stations, st.ID)
	}
	for i := range 4 {
		e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script",
			"title": fmt.Sprintf("Bài phát thanh số %d: chung tay chấm dứt bạo lực với phụ nữ và trẻ em gái", i+1),
			"body":  "Nội dung bài phát thanh.", "audiences": []string{"residents"}, "channels": []string{"loudspeaker"},
			"station_ids": stations, "schedule": map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-01", "to": "2026-11-30"},
		}).Want(201)
	}
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "post",
		"title": "Mỗi ngày một thông điệp: bình đẳng giới bắt đầu từ gia đình", "body": "Bài đăng.",
		"audiences": []string{"residents"}, "channels": []string{"facebook", "zalo", "portal"},
		"schedule": map[string]any{"times": []string{"08:00"}, "from": "2026-11-01", "to": "2026-11-30"},
	}).Want(201)

}
