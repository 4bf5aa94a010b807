package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
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
	editor := as(t, e, accounts.RoleEditor, "lien-minh")
	admin := as(t, e, accounts.RoleAdmin, "lien-minh")
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
	}
	var report strings.Builder
	for _, p := range pages {
		html, assets := weigh(t, p.b, p.path)
		fmt.Fprintf(&report, "\n%-45s HTML %6d + CSS/JS %5d = %6d bytes", p.path, html, assets, html+assets)
		if html+assets > maxPageBytes {
			t.Errorf("%s weighs %d bytes (HTML %d, CSS and JS %d), over %d", p.path, html+assets, html, assets, maxPageBytes)
		}
	}
	t.Log("page weights:" + report.String())
}

// busyMonth schedules November 2026 full: four scripts twice a day on five
// stations, and a post a day on three channels.
func busyMonth(t *testing.T, e *apptest.Env) {
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
