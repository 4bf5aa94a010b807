package plans

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// testNow is before the 2026 Action Month (15/11–15/12/2026).
var testNow = time.Date(2026, 11, 1, 9, 0, 0, 0, hcm)

// env is a commune on the real store: the campaigns and stations services,
// the plans service over them, an Action Month campaign and four stations
// (two of them named "Cụm 1", in different villages).
type env struct {
	ctx      context.Context
	camps    *campaigns.Service
	stations *stations.Service
	svc      *Service
	campID   string
	st       map[string]string // "name|village" → id
	editor   campaigns.Actor
}

func setup(t testing.TB) *env {
	t.Helper()
	db := storetest.DB(t)
	clock := func() time.Time { return testNow }
	log := slog.New(slog.DiscardHandler)
	st := stamps.New(db, log)
	e := &env{ctx: store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"}),
		stations: stations.NewService(db, st, clock, log), st: map[string]string{}, editor: campaigns.Actor{UserID: "u-editor", Username: "bien.tap"}}
	e.camps = campaigns.NewService(campaigns.Deps{DB: db, Stations: e.stations, Stamps: st, Now: clock, Location: hcm, Log: log})
	e.svc = New(e.camps, e.stations, clock, hcm)
	e.campID = e.campaign(t)
	for _, s := range [][2]string{{"Cụm loa Thôn Đông", "Thôn Đông"}, {"Cụm loa Thôn Tây", "Thôn Tây"}, {"Cụm 1", "Thôn Bắc"}, {"Cụm 1", "Thôn Nam"}} {
		st, err := e.stations.Create(e.ctx, stations.Input{Name: &s[0], Village: &s[1]})
		if err != nil {
			t.Fatal(err)
		}
		e.st[s[0]+"|"+s[1]] = st.ID
	}
	return e
}

// campaign creates an Action Month 2026 campaign and returns its id.
func (e *env) campaign(t testing.TB) string {
	t.Helper()
	title, start, end := "Tháng hành động 2026", "2026-11-15", "2026-12-15"
	c, err := e.camps.CreateCampaign(e.ctx, "admin", campaigns.CampaignInput{Title: &title, Start: &start, End: &end})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (e *env) items(t testing.TB, campID string) []campaigns.Item {
	t.Helper()
	its, err := e.camps.CampaignItems(e.ctx, campID)
	if err != nil {
		t.Fatal(err)
	}
	return its
}

// header is the template's header row.
func headerRow() []any {
	out := make([]any, numCols)
	for c := range numCols {
		out[c] = columns[c].vi
	}
	return out
}

// csvOf writes rows as CSV with sep, quoting every cell that needs it.
func csvOf(sep string, rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\n\r") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// row is a data row by column.
func row(cells map[col]any) []any {
	out := make([]any, numCols)
	for c, v := range cells {
		out[c] = v
	}
	return out
}

func check(t testing.TB, e *env, campID string, file []byte, lang string) Report {
	t.Helper()
	r, err := e.svc.Check(e.ctx, campID, file, lang)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func noErrors(t testing.TB, r Report) {
	t.Helper()
	for _, e := range r.Errors {
		t.Errorf("unexpected error: %s", e.Message)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// hasError fails unless some error of r says exactly msg.
func hasError(t testing.TB, r Report, msg string) {
	t.Helper()
	for _, e := range r.Errors {
		if e.Message == msg {
			return
		}
	}
	var got []string
	for _, e := range r.Errors {
		got = append(got, e.Message)
	}
	t.Errorf("no error %q among:\n%s", msg, strings.Join(got, "\n"))
}
