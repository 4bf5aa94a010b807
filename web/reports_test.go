package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/reach"
)

// TestReportsPage opens the annual report as a manager: the figures are
// reach.AnnualReport's (the year per channel against targets, each campaign,
// stations, villages), and the three download links work with the page's
// own cookie session and give the API's files.
func TestReportsPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	seedReach(t, e)
	mgr := as(t, e, accounts.RoleManager, "lien-minh")

	p := mgr.get("/reports").want(200).sound()
	p.has("<title>Báo cáo kết quả năm 2026 · Lan Tỏa</title>", "Xã Liên Minh · số liệu lúc 09:00 20/11/2026",
		`<option value="2026" selected>2026</option>`, `<option value="2030">2030</option>`,
		`aria-current="page">Báo cáo</a>`,
		// The year against the campaigns' targets, as bars.
		"Kết quả cả năm theo kênh so với chỉ tiêu",
		"lượt hộ nghe: <b>1.800</b> / 3.000 · <b class=\"pct\">60%</b>",
		"tổng lượt tiếp cận theo bài: <b>2.100</b> / 2.000 · <b class=\"pct\">105%</b>",
		"bản phát ra: <b>0</b> / 500 · <b class=\"pct\">0%</b>", `<rect class="bar ch-loudspeaker" width="54.55" height="10"/>`,
		"không phải số người khác nhau", "<summary>Tất cả số liệu theo kênh</summary>",
		// Each campaign: the action month, with a link to its reach page.
		`<a href="/reach/`+gbv2026+`">Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới năm 2026</a> <span class="muted">15/11/2026 – 15/12/2026</span>`,
		`<td data-label="Kết quả"><b>1.800</b> lượt hộ nghe</td><td data-label="Chỉ tiêu">3.000</td><td data-label="Tỷ lệ đạt"><b class="pct">60%</b></td>`,
		// The International Day is one day, and has no figures yet.
		`<span class="muted">25/11/2026</span>`,
		// Stations and villages.
		`<b>Cụm loa Thôn Đông</b> · Thôn Đông</span></td><td data-label="Số hộ">150</td><td data-label="Lượt phát">0</td>`,
		"150 hộ được phủ loa · 1.800 lượt hộ nghe (12 lượt phát)", "Chưa có lượt phát loa nào được xác nhận ở thôn này.",
		// Nothing tallied yet.
		"Chưa có lượt đăng, phát nào được tính trong năm này.").
		lacks("metric.", "kind.", "outcome.", "reach_sum")

	// The page shows the report package's own figures, channel by channel.
	r, err := e.App.Reach.AnnualReport(apptest.Scoped("lien-minh"), 2026, reach.ReportInput{CommuneName: "Xã Liên Minh"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Channels) < 3 {
		t.Fatalf("the report has channels %+v", r.Channels)
	}
	for _, ch := range r.Channels {
		want := fmt.Sprintf("<b>%s</b>", group(ch.Value))
		if ch.HasTarget {
			want += " / " + group(ch.Target)
		}
		if !strings.Contains(p.Body, want) {
			t.Errorf("the page lacks the report's %s figure %q", ch.Channel, want)
		}
	}

	// The downloads are the API's files, fetched with the page's session.
	links := regexp.MustCompile(`href="(/api/v1/reports/annual\?[^"]+)" download`).FindAllStringSubmatch(p.Body, -1)
	if len(links) != 3 {
		t.Fatalf("download links %q", links)
	}
	types := map[string]string{"xlsx": "spreadsheetml.sheet", "pdf": "application/pdf", "csv": "text/csv"}
	for _, l := range links {
		u := strings.ReplaceAll(l[1], "&amp;", "&")
		f := mgr.get(u).want(200)
		ext := regexp.MustCompile(`format=(\w+)`).FindStringSubmatch(u)[1]
		if !strings.Contains(f.Header.Get("Content-Type"), types[ext]) ||
			f.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-lien-minh-2026.`+ext+`"` {
			t.Errorf("%s: %s, %s", u, f.Header.Get("Content-Type"), f.Header.Get("Content-Disposition"))
		}
		switch ext {
		case "csv":
			if !strings.Contains(f.Body, `"Năm 2026","","Xã Liên Minh","Truyền thanh cơ sở","Lượt hộ nghe","1800","3000","60.0","loudspeaker","listeners"`) {
				t.Errorf("the CSV lacks the loudspeaker row:\n%s", f.Body)
			}
		case "xlsx":
			if _, err := excelize.OpenReader(bytes.NewReader([]byte(f.Body))); err != nil {
				t.Errorf("the workbook does not open: %v", err)
			}
		case "pdf":
			if !strings.HasPrefix(f.Body, "%PDF-") {
				t.Errorf("the PDF starts %q", f.Body[:min(len(f.Body), 10)])
			}
		}
	}

	// Another year; a bad one.
	mgr.get("/reports?year=2027").want(200).sound().has("Báo cáo kết quả năm 2027", `<option value="2027" selected>`,
		"Chưa có số liệu tiếp cận nào.", `href="/api/v1/reports/annual?format=pdf&amp;year=2027"`)
	mgr.get("/reports?year=2024").want(200).has(`<option value="2024" selected>2024</option>`)
	mgr.get("/reports?year=hai-nghin").want(http.StatusBadRequest).sound().has("Năm không hợp lệ")
	mgr.get("/reports?commune=hoa-binh").want(http.StatusForbidden)
}

// TestReportsPageRoles: managers, the province and admins may open the
// report (as the API's download allows); editors and operators get 403 and
// a signed-out visit goes to the sign-in page. The province picks a commune.
func TestReportsPageRoles(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	seedReach(t, e)
	if _, err := e.App.Accounts.CreateCommune(t.Context(), "hoa-binh", "Xã Hòa Bình"); err != nil {
		t.Fatal(err)
	}
	newBrowser(t, e).get("/reports?year=2026").redirects("/login?next=%2Freports%3Fyear%3D2026")
	as(t, e, accounts.RoleEditor, "lien-minh").get("/reports").want(403).sound().has("Vai trò của bạn không được phép")
	as(t, e, accounts.RoleOperator, "lien-minh").get("/reports").want(403)
	as(t, e, accounts.RoleAdmin, "lien-minh").get("/reports").want(200).has("Báo cáo kết quả năm 2026")

	prov := as(t, e, accounts.RoleProvince, "lien-minh")
	hb := prov.get("/reports?commune=hoa-binh&year=2026").want(200).sound()
	hb.has("Đang xem xã: <b>Xã Hòa Bình</b>", `<option value="hoa-binh" selected>Xã Hòa Bình</option>`,
		"Xã Hòa Bình · số liệu lúc", "Xã chưa có cụm loa nào.",
		`href="/api/v1/reports/annual?commune=hoa-binh&amp;format=xlsx&amp;year=2026"`)
	hb.lacks("Cụm loa Thôn Đông", `href="/reach/`) // another commune's stations; no reach pages for the province
	f := prov.get("/api/v1/reports/annual?commune=hoa-binh&format=csv&year=2026").want(200)
	if !strings.Contains(f.Header.Get("Content-Disposition"), "bao-cao-hoa-binh-2026.csv") || strings.Contains(f.Body, "Thôn Đông") {
		t.Errorf("the province's download of Hòa Bình: %s\n%s", f.Header.Get("Content-Disposition"), f.Body)
	}
	prov.get("/reports?commune=nowhere").want(404)
}

// TestReportNoticeOnHome: a manager's first page (/ → the calendar), the
// reach dashboard and the report page carry the 25/11 reminder while reach
// has one (from 01/11 to 24/11), with the days left; nobody else sees it.
func TestReportNoticeOnHome(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	loc := e.Config.Location
	refresh := func(at time.Time) {
		t.Helper()
		e.Clock.Set(at)
		if err := e.App.Reach.RefreshNotices(t.Context(), []string{"lien-minh"}); err != nil {
			t.Fatal(err)
		}
	}
	const due = "Báo cáo kết quả thực hiện Chương trình năm 2026 phải gửi Ủy ban nhân dân xã trước ngày 25/11/2026: còn "
	refresh(time.Date(2026, 10, 30, 8, 0, 0, 0, loc)) // before the window
	mgr := as(t, e, accounts.RoleManager, "lien-minh")
	mgr.get("/calendar").want(200).lacks(due, `class="note due"`)

	refresh(time.Date(2026, 11, 22, 8, 0, 0, 0, loc))
	mgr.get("/").redirects("/calendar")
	mgr.get("/calendar").want(200).sound().has(`<p class="note due" role="status">` + due + `3 ngày. <a href="/reports?year=2026">Xem và tải báo cáo</a></p>`)
	mgr.get("/reach?year=2026").want(200).has(due + "3 ngày.")
	mgr.get("/reports?year=2026").want(200).has(`<p class="note due" role="status">` + due + `3 ngày.</p>`) // no link to itself
	mgr.get("/reports?year=2025").want(200).has(due+"3 ngày.", `href="/reports?year=2026"`)
	for _, role := range []accounts.Role{accounts.RoleEditor, accounts.RoleOperator, accounts.RoleAdmin, accounts.RoleProvince} {
		as(t, e, role, "lien-minh").get("/calendar").want(200).lacks(due, `class="note due"`)
	}
	mgr.setCookie("lang", "en")
	mgr.get("/calendar").want(200).has("The 2026 annual results report is due to the commune People&#39;s Committee before 25/11/2026: days left: 3.")
	mgr.setCookie("lang", "vi")

	refresh(time.Date(2026, 11, 24, 20, 0, 0, 0, loc))
	mgr.get("/calendar").want(200).has(due + "1 ngày.")
	// The job has not run since: the notice's days are over all the same.
	e.Clock.Set(time.Date(2026, 11, 26, 8, 0, 0, 0, loc))
	mgr.get("/calendar").want(200).lacks(due)
}

// group writes n as the Vietnamese pages do: 1.800.
func group(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
