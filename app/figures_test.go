package app_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
)

// TestFiguresAgreeAtOnce confirms one airing, reports one slot skipped and
// lets the dispatcher send one post, with no tally run, and checks that the
// report page, the annual report's CSV and the reach summary all count
// them at once (issue 14: the report used to wait for the half-hourly
// tally while the reach page already counted the airing).
func TestFiguresAgreeAtOnce(t *testing.T) {
	t.Parallel()
	e := apptest.New(t) // Friday 2026-11-20 09:00
	l := setupLoudspeakers(t, e)
	it := l.script(t, "Bản tin sáng", words(40), map[string]any{"times": []string{"09:10"}, "from": "2026-11-20", "to": "2026-11-20"},
		l.a.ID, l.b.ID)
	r := l.rundown(t, l.opA, l.a.ID, "2026-11-20")
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]any{"delivery_id": slotOf(t, r, "09:10").DeliveryID}).Want(200)
	rb := l.rundown(t, l.opB, l.b.ID, "2026-11-20")
	e.Do("POST", "/api/v1/stations/"+l.b.ID+"/airings", l.opB, map[string]any{"delivery_id": slotOf(t, rb, "09:10").DeliveryID,
		"status": rundown.StatusSkipped, "reason": "Mất điện cả thôn"}).Want(200)
	post := approvedPostAt(t, l, "Bài đăng Facebook", e.Clock.Now().Add(5*time.Minute))
	e.Clock.Advance(6 * time.Minute)
	if err := e.App.Dispatch.Dispatch(apptest.Scoped("lien-minh")); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()

	// The reach summary (read from reach's digests).
	var sum reach.Summary
	e.Do("GET", "/api/v1/reach/summary?year=2026", l.mgr, nil).Want(200).JSON(&sum)
	if got := sum.Totals["loudspeaker"]; got["airings"] != 1 || got["listeners"] != 120 {
		t.Fatalf("reach summary loudspeaker %v, want 1 airing and 120 listeners", got)
	}

	// The annual report's CSV (read from the outcome counters).
	res := e.Do("GET", "/api/v1/reports/annual?year=2026&format=csv", l.mgr, nil).Want(200)
	rows, err := csv.NewReader(bytes.NewReader(res.Body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRow(t, rows, "Truyền thanh", "", "Cụm loa Thôn Đông (Thôn Đông)", "Truyền thanh cơ sở", "Lượt phát", "1")
	wantRow(t, rows, "Truyền thanh", "", "Cụm loa Thôn Đông (Thôn Đông)", "Truyền thanh cơ sở", "Lượt hộ nghe", "120")
	wantRow(t, rows, "Truyền thanh", "", "Cụm loa Xóm Bãi (Xóm Bãi)", "Truyền thanh cơ sở", "Báo không phát", "1")
	wantRow(t, rows, it.Title, "Truyền thanh cơ sở", "Đã thực hiện", "1")
	wantRow(t, rows, it.Title, "Truyền thanh cơ sở", "Báo không phát", "1")
	wantRow(t, rows, post, "Trang Facebook", "Đã thực hiện", "1")
	wantRow(t, rows, "Năm 2026", "", "Xã Liên Minh", "Truyền thanh cơ sở", "Lượt hộ nghe", "120")

	// The report page (the same report, as HTML).
	req, err := http.NewRequest("GET", e.Server.URL+"/reports?year=2026", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: l.mgr})
	page := string(e.Send(req).Want(200).Body)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`<b>Cụm loa Thôn Đông</b> · Thôn Đông</span></td><td[^>]*>120</td><td[^>]*>1</td><td[^>]*>0</td><td[^>]*>0</td><td[^>]*><b>120</b>`),
		regexp.MustCompile(`<b>Cụm loa Xóm Bãi</b> · Xóm Bãi</span></td><td[^>]*>85</td><td[^>]*>0</td><td[^>]*>1</td>`),
		regexp.MustCompile(`<dt>Đã thực hiện</dt><dd><b>2</b></dd>`),
		regexp.MustCompile(`<dt>Báo không phát</dt><dd><b>1</b></dd>`),
	} {
		if !want.MatchString(page) {
			t.Errorf("the report page lacks %s", want)
		}
	}
}

// approvedPostAt creates, submits and approves a Facebook post due at at
// and returns its title.
func approvedPostAt(t *testing.T, l *loudspeakers, title string, at time.Time) string {
	t.Helper()
	var it struct {
		ID string `json:"id"`
	}
	l.e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "post", "title": title, "body": "Gọi 111.",
		"audiences": []string{"residents"}, "channels": []string{"facebook"}, "schedule": map[string]any{"at": at.Format(time.RFC3339)}}).
		Want(201).JSON(&it)
	l.e.Do("POST", "/api/v1/items/"+it.ID+"/submit", l.ed, nil).Want(200)
	l.e.Do("POST", "/api/v1/items/"+it.ID+"/approve", l.mgr, nil).Want(200)
	return title
}
