package app_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/reach"
)

// TestProvinceViewSumsTheCommunes records reach in two communes and checks
// that the province view shows each commune's own year summary side by
// side, that the province total is their sum, that the province workbook
// holds the same figures, and that neither commune's report shows the
// other's data.
func TestProvinceViewSumsTheCommunes(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Do("POST", "/api/v1/communes", e.Admin(), map[string]any{"id": "hoa-binh", "name": "Xã Hòa Bình"}).Want(201)
	record := func(commune, village string, n int64) {
		ctx := apptest.Scoped(commune)
		camp := commune + "-gbv-month-2026"
		for i, ev := range []reach.Event{
			{Channel: "loudspeaker", Metric: "listeners", Value: 100 * n, Village: village},
			{Channel: "loudspeaker", Metric: "airings", Value: n, Village: village},
			{Channel: "print", Metric: "copies", Value: 40 * n, Village: village},
			{Channel: "facebook", Metric: "reach", Value: 7 * n},
		} {
			ev.ID, ev.CommuneID, ev.CampaignID, ev.Day, ev.Source = fmt.Sprintf("%s-%d", commune, i), commune, camp, "2026-11-18", reach.SourceManual
			if _, err := e.App.Reach.Record(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	record("lien-minh", "Thôn Đông", 3)
	record("hoa-binh", "Xóm Chợ", 5)

	var ps reach.ProvinceSummary
	e.Do("GET", "/api/v1/province/reach/summary?year=2026", e.User(accounts.RoleProvince, "lien-minh"), nil).Want(200).JSON(&ps)
	if len(ps.Communes) != 2 {
		t.Fatalf("communes %+v", ps.Communes)
	}
	sum := map[string]map[string]int64{}
	for _, c := range ps.Communes {
		var own reach.Summary
		e.Do("GET", "/api/v1/reach/summary?year=2026", e.User(accounts.RoleManager, c.CommuneID), nil).Want(200).JSON(&own)
		if fmt.Sprint(own.Totals) != fmt.Sprint(c.Totals) {
			t.Errorf("%s: province view %v, the commune's own summary %v", c.CommuneID, c.Totals, own.Totals)
		}
		for ch, ms := range c.Totals {
			if sum[ch] == nil {
				sum[ch] = map[string]int64{}
			}
			for m, v := range ms {
				sum[ch][m] += v
			}
		}
	}
	if fmt.Sprint(sum) != fmt.Sprint(ps.Total) || ps.Total["loudspeaker"]["listeners"] != 800 || ps.Total["facebook"]["reach_sum"] != 56 {
		t.Fatalf("province total %v, sum of communes %v", ps.Total, sum)
	}
	e.Do("GET", "/api/v1/province/reach/summary?year=2026", e.Admin(), nil).Want(200)
	e.Do("GET", "/api/v1/province/reach/summary?year=20x6", e.Admin(), nil).Want(400)

	res := e.Do("GET", "/api/v1/province/reports/annual?year=2026&format=xlsx", e.User(accounts.RoleProvince, "lien-minh"), nil).Want(200)
	x, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, x, "Toàn tỉnh")
	wantRow(t, rows, "Kênh", "Chỉ số", "Xã Hòa Bình", "Xã Liên Minh", "Toàn tỉnh")
	wantRow(t, rows, "Truyền thanh cơ sở", "Lượt hộ nghe", "500", "300", "800")
	wantRow(t, rows, "Tờ rơi, áp phích, pa nô, băng rôn, sổ tay", "Số bản phát hành", "200", "120", "320")

	// Scope: each commune's report has its own villages only; a province
	// user reads any commune's with ?commune=, a manager only their own.
	csvOf := func(token, query string) string {
		return string(e.Do("GET", "/api/v1/reports/annual?year=2026&format=csv"+query, token, nil).Want(200).Body)
	}
	lm := csvOf(e.User(accounts.RoleManager, "lien-minh"), "")
	hb := csvOf(e.User(accounts.RoleProvince, "lien-minh"), "&commune=hoa-binh")
	if !bytes.Contains([]byte(lm), []byte("Thôn Đông")) || bytes.Contains([]byte(lm), []byte("Xóm Chợ")) ||
		!bytes.Contains([]byte(hb), []byte("Xóm Chợ")) || bytes.Contains([]byte(hb), []byte("Thôn Đông")) {
		t.Fatalf("a report shows another commune's data:\n%s\n---\n%s", lm, hb)
	}
	e.Do("GET", "/api/v1/reports/annual?year=2026&format=csv&commune=hoa-binh", e.User(accounts.RoleManager, "lien-minh"), nil).Want(403)
}

// TestReportDeadlineNotice runs the clock's notice job on each day around
// the deadline and reads the managers' dashboard data: the notice shows
// from 01/11 to 24/11 only, and a notice the job has not cleared yet is not
// shown after its days.
func TestReportDeadlineNotice(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mgr := e.User(accounts.RoleManager, "lien-minh")
	loc := e.Config.Location
	communes := []string{"lien-minh"}
	for day := time.Date(2026, 10, 31, 8, 0, 0, 0, loc); day.Before(time.Date(2026, 11, 27, 0, 0, 0, 0, loc)); day = day.AddDate(0, 0, 1) {
		e.Clock.Set(day)
		if err := e.App.Reach.RefreshNotices(t.Context(), communes); err != nil {
			t.Fatal(err)
		}
		var sum reach.Summary
		e.Do("GET", "/api/v1/reach/summary?year=2026", mgr, nil).Want(200).JSON(&sum)
		want := day.Month() == time.November && day.Day() <= 24
		if got := sum.Notice != nil; got != want {
			t.Errorf("%s: notice %v, want %v", day.Format("2006-01-02"), got, want)
			continue
		}
		if want && (sum.Notice.Due != "2026-11-25" || sum.Notice.DaysLeft != 25-day.Day() || len(sum.Notes) == 0 ||
			sum.Notes[len(sum.Notes)-1] != sum.Notice.Message) {
			t.Errorf("%s: notice %+v, notes %q", day.Format("2006-01-02"), sum.Notice, sum.Notes)
		}
	}
	// The job set the notice on the 24th and has not run since: not shown on the 26th.
	e.Clock.Set(time.Date(2026, 11, 24, 8, 0, 0, 0, loc))
	if err := e.App.Reach.RefreshNotices(t.Context(), communes); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(time.Date(2026, 11, 26, 8, 0, 0, 0, loc))
	var sum reach.Summary
	e.Do("GET", "/api/v1/reach/summary?campaign=lien-minh-gbv-month-2026", mgr, nil).Want(200).JSON(&sum)
	if sum.Notice != nil {
		t.Fatalf("a stale notice is shown: %+v", sum.Notice)
	}
}
