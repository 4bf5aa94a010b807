package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// seedReach gives the action month targets and a week of reach: airings in
// Thôn Đông (Thôn Tây has a station but heard nothing), Facebook reach of
// two posts, and leaflets handed out.
func seedReach(t *testing.T, e *apptest.Env) {
	t.Helper()
	ctx := apptest.Scoped("lien-minh")
	newStation(t, e, "Cụm loa Thôn Đông", "Thôn Đông", 150)
	newStation(t, e, "Cụm loa Thôn Tây", "Thôn Tây", 80)
	targets := map[string]int64{"loudspeaker": 3000, "facebook": 2000, "print": 500}
	if _, err := e.App.Campaigns.UpdateCampaign(ctx, "test", gbv2026, campaigns.CampaignInput{Targets: &targets}); err != nil {
		t.Fatal(err)
	}
	var events []reach.Event
	for day := 15; day <= 20; day++ {
		date := fmt.Sprintf("2026-11-%02d", day)
		events = append(events,
			reach.Event{ID: "air-a|" + date, Metric: "airings", Value: 2, Channel: "loudspeaker", Village: "Thôn Đông", Day: date},
			reach.Event{ID: "air-l|" + date, Metric: "listeners", Value: 300, Channel: "loudspeaker", Village: "Thôn Đông", Day: date},
			reach.Event{ID: "fb|" + date, Metric: "reach", Value: int64(100 * (day - 14)), Channel: "facebook", Day: date})
	}
	for i := range events {
		events[i].CommuneID, events[i].CampaignID, events[i].Source = "lien-minh", gbv2026, reach.SourcePoll
	}
	if _, err := e.App.Reach.Record(ctx, events...); err != nil {
		t.Fatal(err)
	}
}

func TestReachCampaignDashboard(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	seedReach(t, e)
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	// Leaflets handed out, entered by hand.
	mgr.post("/reach/"+gbv2026, url.Values{"channel": {"print"}, "metric": {"copies"}, "value": {"1.200"}, "date": {"2026-11-18"},
		"village": {"Thôn Tây"}}).redirects("/reach/" + gbv2026 + "?added=1")

	p := mgr.get("/reach/" + gbv2026 + "?added=1").want(200).sound()
	p.has("Tiếp cận: Tháng hành động vì bình đẳng giới", "Đã ghi số liệu.", "Kết quả theo kênh so với chỉ tiêu",
		// loudspeaker: 1.800 of 3.000 household listens (60 %); Facebook reach summed over posts: 2.100 of 2.000.
		"lượt hộ nghe: <b>1.800</b> / 3.000 · <b class=\"pct\">60%</b>",
		"tổng lượt tiếp cận theo bài: <b>2.100</b> / 2.000 · <b class=\"pct\">105%</b>",
		"bản phát ra: <b>1.200</b> / 500 · <b class=\"pct\">240%</b>",
		"không phải số người khác nhau", "<summary>Tất cả số liệu theo kênh</summary>",
		`<svg class="hbar"`, `<rect class="bar ch-loudspeaker" width="54.55" height="10"/>`, `<line class="target" x1="90.91"`,
		`<svg class="timeline" viewBox="0 0 `, "Độ phủ theo thôn, xóm", "Thôn Đông", "150 hộ được phủ loa · 1.800 lượt hộ nghe (12 lượt phát)",
		"Thôn Tây", "Chưa có lượt phát loa nào được xác nhận ở thôn này.", "bản phát ra: 1.200",
		"Nhập số liệu bằng tay", `<option value="Thôn Đông">`).lacks("metric.", "reach_sum:", "người tiếp cận:")
	if n := strings.Count(p.Body, `<rect class="bar ch-`); n < 3+6+2 {
		t.Errorf("%d bars on the dashboard", n)
	}
	// The timeline of a chosen metric: one column a day with data.
	fb := mgr.get("/reach/" + gbv2026 + "?metric=reach_sum").want(200)
	if n := len(regexp.MustCompile(`<rect class="bar ch-facebook" x="[0-9.]+" y="[0-9.]+" width="0.8"`).FindAllString(fb.Body, -1)); n != 6 {
		t.Errorf("%d Facebook columns on the timeline, want 6", n)
	}
	fb.has(`<option value="reach_sum" selected>tổng lượt tiếp cận theo bài</option>`, "Cột cao nhất: 600", "20/11/2026 · Trang Facebook: 600")

	// Errors sit next to their fields.
	mgr.post("/reach/"+gbv2026, url.Values{"channel": {"print"}, "metric": {"copies"}, "value": {"nhiều"}, "date": {"2026-11-18"}}).
		want(http.StatusUnprocessableEntity).has("Số lượng phải là số nguyên", `value="nhiều"`)
	mgr.post("/reach/"+gbv2026, url.Values{"channel": {"print"}, "metric": {"copies"}, "value": {"-200"}, "date": {"2026-11-18"}}).
		want(http.StatusUnprocessableEntity).has("hãy ghi lý do")
	mgr.post("/reach/"+gbv2026, url.Values{"channel": {"print"}, "metric": {"copies"}, "value": {"5"}, "date": {"2026-02-30"}}).
		want(http.StatusUnprocessableEntity).has("Hãy chọn một ngày có thật.")
	mgr.post("/reach/"+gbv2026, url.Values{"channel": {"print"}, "metric": {"copies"}, "value": {"-200"}, "date": {"2026-11-18"},
		"village": {"Thôn Tây"}, "reason": {"Đếm trùng một thùng tờ rơi"}}).redirects("/reach/" + gbv2026)
	mgr.get("/reach/" + gbv2026).want(200).has("bản phát ra: <b>1.000</b>")
	mgr.get("/reach/x-unknown").want(404)
}

func TestReachYearAndRoles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	seedReach(t, e)
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	p := ed.get("/reach?year=2026").want(200).sound()
	p.lacks(`href="/reach?year=2025"`) // before the programme: nothing to reach back to
	p.has("Kết quả tiếp cận năm 2026", `href="/reach?year=2027"`, `<svg class="hbar"`,
		"lượt hộ nghe: <b>1.800</b>", "Các chiến dịch trong năm", `href="/reach/`+gbv2026+`"`, "Thôn Tây")
	ed.get("/reach").want(200).has("Kết quả tiếp cận năm 2026")
	ed.get("/reach?year=2031").want(200).has("Chưa có số liệu tiếp cận nào.", `href="/reach?year=2030"`).lacks(`href="/reach?year=2032"`)
	ed.get("/reach?year=2030").want(200).has(`href="/reach?year=2029"`).lacks(`href="/reach?year=2031"`)
	ed.get("/reach?year=abc").want(400).has("Năm không hợp lệ")
	ed.get("/reach/lien-minh-dv-month-2027").want(200).sound().has("Chưa có số liệu tiếp cận nào.", "Chưa có số liệu theo ngày.").
		lacks(`<svg class="timeline"`)
	as(t, e, accounts.RoleOperator, "lien-minh").get("/reach").want(403)
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/reach/" + gbv2026).want(403)
}
