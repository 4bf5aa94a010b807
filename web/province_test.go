package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/reach"
)

// seedProvince adds Xã Hòa Bình, with its own year (listeners, leaflets and
// attendance), and Xã Gia Viễn with nothing, next to Liên Minh's seedReach.
func seedProvince(t *testing.T, e *apptest.Env) {
	t.Helper()
	seedReach(t, e)
	for id, name := range map[string]string{"hoa-binh": "Xã Hòa Bình", "gia-vien": "Xã Gia Viễn"} {
		if _, err := e.App.Accounts.CreateCommune(t.Context(), id, name); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Campaigns.Seed(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	var events []reach.Event
	for i, ev := range []reach.Event{
		{Channel: "loudspeaker", Metric: "listeners", Value: 500, Village: "Xóm Chợ"},
		{Channel: "loudspeaker", Metric: "airings", Value: 5, Village: "Xóm Chợ"},
		{Channel: "print", Metric: "copies", Value: 950, Village: "Xóm Đồi"},
		{Channel: "event", Metric: "attendance", Value: 320},
	} {
		ev.ID, ev.CommuneID, ev.CampaignID, ev.Day, ev.Source = fmt.Sprintf("hb-%d", i), "hoa-binh", "hoa-binh-gbv-month-2026", "2026-11-18", reach.SourceManual
		events = append(events, ev)
	}
	if _, err := e.App.Reach.Record(apptest.Scoped("hoa-binh"), events...); err != nil {
		t.Fatal(err)
	}
}

// TestProvincePage shows every commune side by side with the province
// total (reach.ProvinceSummary's figures), a chart of one channel across
// the communes, and the province workbook to download.
func TestProvincePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	seedProvince(t, e)
	prov := as(t, e, accounts.RoleProvince, "lien-minh")

	p := prov.get("/province").want(200).sound()
	p.has("<title>Các xã trong tỉnh năm 2026 · Lan Tỏa</title>", `aria-current="page">Toàn tỉnh</a>`,
		`<option value="2026" selected>2026</option>`,
		// The table: a row per commune, "–" where nothing was recorded, and the total.
		`<a href="/reports?commune=hoa-binh&amp;year=2026"><b>Xã Hòa Bình</b></a></td><td class="fig" data-label="Truyền thanh cơ sở (lượt hộ nghe)">500</td><td class="fig" data-label="Trang Facebook (tổng lượt tiếp cận theo bài)">–</td>`,
		`<a href="/reports?commune=lien-minh&amp;year=2026"><b>Xã Liên Minh</b></a></td><td class="fig" data-label="Truyền thanh cơ sở (lượt hộ nghe)">1.800</td><td class="fig" data-label="Trang Facebook (tổng lượt tiếp cận theo bài)">2.100</td>`,
		`<b>Xã Gia Viễn</b></a></td><td class="fig" data-label="Truyền thanh cơ sở (lượt hộ nghe)">–</td>`,
		`<th scope="row">Toàn tỉnh</th><td class="fig" data-label="Truyền thanh cơ sở (lượt hộ nghe)"><b>2.300</b></td>`,
		`data-label="Tờ rơi, áp phích, pa nô, băng rôn, sổ tay (bản phát ra)"><b>950</b></td>`,
		"không phải số người khác nhau",
		// The chart of the first channel, largest first: 1.800 of 2.300 is 78 %.
		"Truyền thanh cơ sở, lượt hộ nghe: toàn tỉnh 2.300.",
		"<b>Xã Liên Minh</b> <span>lượt hộ nghe: <b>1.800</b> · 78% toàn tỉnh</span>",
		`<rect class="bar ch-loudspeaker" width="100" height="10"/>`,
		"<b>Xã Hòa Bình</b> <span>lượt hộ nghe: <b>500</b> · 22% toàn tỉnh</span>",
		`<rect class="bar ch-loudspeaker" width="27.78" height="10"/>`,
		"<b>Xã Gia Viễn</b> <span>lượt hộ nghe: <b>–</b></span>",
		// Every metric, the communes across.
		`<th scope="row">Truyền thanh cơ sở<br><span class="unit">lượt phát loa</span></th><td>–</td><td>5</td><td>12</td><td><b>17</b></td>`,
		`href="/api/v1/province/reports/annual?format=xlsx&amp;year=2026" download`).
		lacks("metric.", "channel.", "reach_sum")
	if i, j := strings.Index(p.Body, "<b>Xã Liên Minh</b> <span>"), strings.Index(p.Body, "<b>Xã Hòa Bình</b> <span>"); i < 0 || j < i {
		t.Error("the chart is not ordered largest first")
	}

	// The page's totals are the province summary's.
	ps, err := e.App.Reach.ProvinceSummary(t.Context(), 2026, []reach.CommuneRef{{ID: "gia-vien", Name: "Xã Gia Viễn"},
		{ID: "hoa-binh", Name: "Xã Hòa Bình"}, {ID: "lien-minh", Name: "Xã Liên Minh"}})
	if err != nil {
		t.Fatal(err)
	}
	for ch, metrics := range ps.Total {
		for m, v := range metrics {
			if !strings.Contains(p.Body, fmt.Sprintf("<td><b>%s</b></td></tr>", group(v))) {
				t.Errorf("the page lacks the province total of %s %s: %d", ch, m, v)
			}
		}
	}

	// Another channel on the chart.
	prov.get("/province?year=2026&channel=print").want(200).has("Tờ rơi, áp phích, pa nô, băng rôn, sổ tay, bản phát ra: toàn tỉnh 950.",
		`<option value="print" selected>`, "<b>Xã Hòa Bình</b> <span>bản phát ra: <b>950</b> · 100% toàn tỉnh</span>",
		`<rect class="bar ch-print" width="100" height="10"/>`)
	// The workbook, with the page's cookie session.
	x := prov.get("/api/v1/province/reports/annual?format=xlsx&year=2026").want(200)
	if x.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-toan-tinh-2026.xlsx"` {
		t.Errorf("province workbook %q", x.Header.Get("Content-Disposition"))
	}
	prov.get("/province?year=2027").want(200).has("Các xã trong tỉnh năm 2027", "Chưa có số liệu tiếp cận nào.", "Xã Hòa Bình").
		lacks(`<svg class="hbar"`)
	prov.get("/province?year=x").want(http.StatusBadRequest).has("Năm không hợp lệ")
	// A commune's row opens its report.
	prov.get("/reports?commune=hoa-binh&year=2026").want(200).has("Xã Hòa Bình · số liệu lúc", "lượt hộ nghe: <b>500</b>")
}

// TestProvincePageRoles: the province and admins (as the API's province
// routes); managers, editors and operators get 403; signed out, the sign-in
// page.
func TestProvincePageRoles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	newBrowser(t, e).get("/province").redirects("/login?next=%2Fprovince")
	for _, role := range []accounts.Role{accounts.RoleManager, accounts.RoleEditor, accounts.RoleOperator} {
		as(t, e, role, "lien-minh").get("/province").want(403).sound()
	}
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/province").want(200).sound().has("Xã Liên Minh")
}
