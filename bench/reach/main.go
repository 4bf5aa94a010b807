// Command reach measures the reach dashboard and the annual report on the
// embedded store with five years of one commune's data (issue 7): 15
// observance campaigns and 60 of its own, 1,500 items, 30 stations, 50,000
// airings (loudspeaker deliveries in the archive, each with its reach
// events), 200,000 raw reach events in all, and the hot deliveries of the
// current fortnight. It prints p50 and p95 of the summary and timeline
// requests through the real HTTP handler, and the report generation time
// per format.
//
//	go run ./bench/reach [-n 60] [-reports 5]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/bench/internal/cpuprofile"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
)

func main() {
	n := flag.Int("n", 60, "requests per endpoint")
	reports := flag.Int("reports", 5, "reports per format")
	only := flag.String("only", "", `"deliveries" times only the deliveries page and API; "pages" only the calendar and reach pages (BENCH_PAGES_PROFILE=cpu.out adds a CPU profile of them)`)
	flag.Parse()
	if err := run(*n, *reports, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench/reach:", err)
		os.Exit(1)
	}
}

// clock is the service's clock: the seeder moves it, the requests read it.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func run(n, reports int, only string) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lantoa-bench-reach-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg, err := config.Load("bench", []string{"--data", dir, "--admin-password", "bench-password-1"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		return err
	}
	quiet := slog.New(slog.DiscardHandler)
	st, err := store.Open(ctx, store.Options{DataDir: dir, Database: "lantoa", Logger: quiet})
	if err != nil {
		return err
	}
	defer st.Close(ctx)
	clk := &clock{t: time.Date(2025, 12, 1, 9, 0, 0, 0, cfg.Location)}
	a, err := app.New(ctx, st.DB, app.Options{Config: cfg, Log: quiet, Now: clk.now, Ping: st.Ping})
	if err != nil {
		return err
	}
	started := time.Now()
	s := &seeder{a: a, db: st.DB, loc: cfg.Location, clk: clk}
	if err := s.seed(ctx); err != nil {
		return err
	}
	fmt.Printf("seeded in %s: %s\n", time.Since(started).Round(time.Second), s.sizes(ctx))
	clk.t = time.Date(2030, 11, 20, 10, 0, 0, 0, cfg.Location)
	if err := a.Reach.RefreshNotices(ctx, []string{accounts.DefaultCommuneID}); err != nil {
		return err
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	if _, err := a.Accounts.CreateUser(store.WithScope(ctx, store.Scope{CommuneID: accounts.DefaultCommuneID}), accounts.NewUser{
		Username: "manager", Password: "bench-password-1", Role: accounts.RoleManager, DisplayName: "Quản lý", CommuneID: accounts.DefaultCommuneID}); err != nil {
		return err
	}
	tok, _, err := a.Accounts.Login(ctx, "manager", "bench-password-1", "bench")
	if err != nil {
		return err
	}
	b := &bencher{base: srv.URL, token: tok}
	if only == "pages" {
		return b.pages(n)
	}
	if err := b.deliveries(ctx, a, n); err != nil || only == "deliveries" {
		return err
	}
	if err := b.measure(s, n, reports); err != nil {
		return err
	}
	return clockJobs(a)
}

// bencher sends requests and keeps their durations.
type bencher struct {
	base, token string
}

func (b *bencher) get(path string) (total, ttfb time.Duration, size int, err error) {
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+b.token)
	} else { // a page: signed in by the session cookie, as a browser is
		req.AddCookie(&http.Cookie{Name: edge.SessionCookie, Value: b.token})
	}
	start := time.Now()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotFirstResponseByte: func() { ttfb = time.Since(start) },
	}))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, 0, 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, 0, 0, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return d, ttfb, len(body), nil
}

// series runs paths round robin n times and prints p50, p95 and the
// maximum of the whole request, and the p50 of the time to first byte.
func (b *bencher) series(name string, n int, paths []string) error {
	var ds, fs []time.Duration
	size := 0
	for i := range n {
		d, f, bytes, err := b.get(paths[i%len(paths)])
		if err != nil {
			return err
		}
		ds, fs = append(ds, d), append(fs, f)
		size = bytes
	}
	slices.Sort(ds)
	slices.Sort(fs)
	pct := func(ds []time.Duration, p float64) time.Duration { return ds[min(len(ds)-1, int(float64(len(ds))*p))] }
	fmt.Printf("%-44s n=%-4d p50 %8s  p95 %8s  max %8s  first byte p50 %8s p95 %8s  (%d bytes)\n", name, n,
		ms(pct(ds, 0.50)), ms(pct(ds, 0.95)), ms(ds[len(ds)-1]), ms(pct(fs, 0.50)), ms(pct(fs, 0.95)), size)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func (b *bencher) measure(s *seeder, n, reports int) error {
	var campaign, timeline []string
	for _, id := range s.campaignIDs {
		campaign = append(campaign, "/api/v1/reach/summary?campaign="+id)
		timeline = append(timeline, "/api/v1/reach/timeline?campaign="+id)
	}
	var years []string
	for y := 2026; y <= 2030; y++ {
		years = append(years, fmt.Sprintf("/api/v1/reach/summary?year=%d", y))
	}
	for _, run := range []struct {
		name  string
		paths []string
	}{
		{"GET /api/v1/reach/summary?campaign=", campaign},
		{"GET /api/v1/reach/summary?year=", years},
		{"GET /api/v1/reach/timeline?campaign=", timeline},
		{"GET /api/v1/reach/timeline?campaign=&metric=listeners", appendAll(timeline, "&metric=listeners")},
	} {
		if err := b.series(run.name, n, run.paths); err != nil {
			return err
		}
	}
	if err := b.pages(n); err != nil {
		return err
	}
	for _, year := range []int{2029, 2030} {
		for _, format := range []string{"xlsx", "pdf", "csv"} {
			path := fmt.Sprintf("/api/v1/reports/annual?year=%d&format=%s", year, format)
			if err := b.series(fmt.Sprintf("annual report %d %s", year, format), reports, []string{path}); err != nil {
				return err
			}
		}
	}
	return nil
}

// pages times the pages a manager opens, signed in by cookie: the calendar
// month of the clock and the eleven before it (a year of campaigns and
// items), the reach dashboard and the annual report page; with
// BENCH_PAGES_PROFILE=file it writes a CPU profile of them.
func (b *bencher) pages(n int) error {
	stop, err := cpuprofile.Start(os.Getenv("BENCH_PAGES_PROFILE"))
	if err != nil {
		return err
	}
	defer stop()
	var months []string
	for m := 0; m < 12; m++ {
		months = append(months, "/calendar?month="+time.Date(2030, time.Month(11-m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"))
	}
	for _, run := range []struct {
		name  string
		paths []string
	}{
		{"page /calendar?month= (12 months of 2029-30)", months},
		{"page /calendar?month=2030-11", []string{"/calendar?month=2030-11"}},
		{"page /reach", []string{"/reach"}},
		{"page /reports?year=2030", []string{"/reports?year=2030"}},
	} {
		if err := b.series(run.name, n, run.paths); err != nil {
			return err
		}
	}
	return nil
}

// clockJobs times the clock's tally of delivery outcomes (one listing of
// the hot collection) and the report's data without a format, three times
// each; with BENCH_PROFILE=file it writes a CPU profile of them.
func clockJobs(a *app.App) error {
	stop, err := cpuprofile.Start(os.Getenv("BENCH_PROFILE"))
	if err != nil {
		return err
	}
	defer stop()
	ctx := store.WithScope(context.Background(), store.Scope{CommuneID: accounts.DefaultCommuneID})
	for range 3 {
		t := time.Now()
		if err := a.Deliveries.Retell(ctx); err != nil {
			return err
		}
		tally := time.Since(t)
		t = time.Now()
		if _, err := a.Reach.AnnualReport(ctx, 2029, reach.ReportInput{CommuneName: "Xã Liên Minh"}); err != nil {
			return err
		}
		fmt.Printf("clock tally of delivery outcomes %8s   annual report data 2029 %8s\n", ms(tally), ms(time.Since(t)))
	}
	return recordTimes(ctx, a)
}

// recordTimes times Record of an airing's two events (airings and
// listeners, with the village) on the seeded data: what an operator's
// confirmation costs in reach.
func recordTimes(ctx context.Context, a *app.App) error {
	var ds []time.Duration
	for i := range 30 {
		base := reach.Event{CommuneID: accounts.DefaultCommuneID, CampaignID: accounts.DefaultCommuneID + "-gbv-month-2030",
			ItemID: "bench-item", Channel: "loudspeaker", Village: villages[i%len(villages)], Day: "2030-11-20", Source: reach.SourceAiring}
		ev, l := base, base
		ev.ID, ev.Metric, ev.Value = fmt.Sprintf("airing|bench-%d|airings", i), "airings", 1
		l.ID, l.Metric, l.Value = fmt.Sprintf("airing|bench-%d|listeners", i), "listeners", 150
		t := time.Now()
		if _, err := a.Reach.Record(ctx, ev, l); err != nil {
			return err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	fmt.Printf("Record of one airing (2 events)           n=30   p50 %8s  p95 %8s\n", ms(ds[15]), ms(ds[28]))
	// What the dispatcher adds to each delivery it ends: its outcome,
	// recorded at once into its month's outcome documents.
	ds = ds[:0]
	for i := range 30 {
		o := reach.DeliveryOutcome{ID: fmt.Sprintf("bench-outcome-%d", i), ItemID: "bench-item", CampaignID: accounts.DefaultCommuneID + "-gbv-month-2030",
			Kind: "script", Title: "Bản tin", Channel: "loudspeaker", StationID: "bench-station", Day: "2030-11-20", State: reach.OutcomeSent}
		t := time.Now()
		if err := a.Reach.RecordOutcomes(ctx, []reach.DeliveryOutcome{o}); err != nil {
			return err
		}
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	fmt.Printf("RecordOutcomes of one delivery            n=30   p50 %8s  p95 %8s\n", ms(ds[15]), ms(ds[28]))
	return nil
}

// deliveries times the archive job's one-time filing of the seeded archive
// into its monthly digests, then the deliveries page and API (issue 14):
// the problems of the last 30 days (the page's default), every state of
// them, a whole year, five years of problems, and for comparison the old
// listing that scans the archive.
func (b *bencher) deliveries(ctx context.Context, a *app.App, n int) error {
	t := time.Now()
	if _, err := a.Deliveries.Archive(ctx); err != nil {
		return err
	}
	fmt.Printf("archive job, first run (files the %s archive into monthly digests) %8s\n", "seeded", ms(time.Since(t)))
	for _, run := range []struct {
		name  string
		paths []string
	}{
		{"page /deliveries (problems, last 30 days)", []string{"/deliveries"}},
		{"page /deliveries?state=all (last 30 days)", []string{"/deliveries?state=all"}},
		{"page /deliveries?state=all, the year 2030", []string{"/deliveries?state=all&from=2030-01-01&to=2030-12-31"}},
		{"page /deliveries?state=all, 2030, page 20", []string{"/deliveries?state=all&from=2030-01-01&to=2030-12-31&page=20"}},
		{"page /deliveries problems since 2026-01-01", []string{"/deliveries?from=2026-01-01"}},
		{"GET /api/v1/deliveries?from=2030-11-01", []string{"/api/v1/deliveries?from=2030-11-01"}},
	} {
		if err := b.series(run.name, n, run.paths); err != nil {
			return err
		}
	}
	// The floor of any read of current deliveries: one scan of the hot
	// collection; and what the page did before it browsed the archive
	// (three listings of the hot collection, one per problem state).
	sc := store.WithScope(ctx, store.Scope{CommuneID: accounts.DefaultCommuneID})
	var scan, before []time.Duration
	for range n {
		t := time.Now()
		if _, err := a.Deliveries.List(sc, deliveries.Filter{State: deliveries.StateFailed}); err != nil {
			return err
		}
		scan = append(scan, time.Since(t))
		t = time.Now()
		for _, st := range deliveries.ProblemStates {
			if _, err := a.Deliveries.List(sc, deliveries.Filter{State: st}); err != nil {
				return err
			}
		}
		before = append(before, time.Since(t))
	}
	slices.Sort(scan)
	slices.Sort(before)
	fmt.Printf("one scan of the hot collection (List state=failed) n=%d p50 %8s; the page's old read (3 listings) p50 %8s\n",
		n, ms(scan[n/2]), ms(before[n/2]))
	return b.series("GET /api/v1/deliveries?state=dead&archived=1 (scan)", min(n, 5), []string{"/api/v1/deliveries?state=dead&archived=1"})
}

func appendAll(list []string, suffix string) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p + suffix
	}
	return out
}
