// Command plans measures the plan import (SPEC §6.4, issue 17) through the
// real HTTP handler on the embedded store: a dry run and a real import of
// a 2,000-row plan (every kind; scripts repeating on weekdays on named
// stations), and importing the same file again (which creates nothing).
// Each real import goes into a new campaign of the same commune, so later
// runs import beside more items. It prints wall and CPU seconds per run
// (the CPU time is the process's, the embedded store's included).
//
//	go run ./bench/plans [-runs 3] [-rows 2000]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/bench/internal/cpuprofile"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

func main() {
	runs := flag.Int("runs", 3, "runs of each measurement")
	rows := flag.Int("rows", 2000, "data rows of the plan")
	flag.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the last measurement (a dry run beside the items) to this file")
	flag.Parse()
	if err := run(*runs, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "bench/plans:", err)
		os.Exit(1)
	}
}

// profile is where to write a CPU profile of the last measurement.
var profile string

func run(runs, rows int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lantoa-bench-plans-")
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
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, cfg.Location)
	a, err := app.New(ctx, st.DB, app.Options{Config: cfg, Log: quiet, Now: func() time.Time { return now }, Ping: st.Ping})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	b, err := setup(ctx, a, srv.URL)
	if err != nil {
		return err
	}
	file, err := plan(rows)
	if err != nil {
		return err
	}
	fmt.Printf("plan: %d rows, %.0f kB of XLSX; embedded store in %s\n\n", rows, float64(len(file))/1024, dir)
	fmt.Printf("%-28s %8s %8s %8s %8s\n", "", "wall p50", "wall max", "cpu p50", "created")
	measure := func(name string, campaign func() (string, error), dry bool, want int) error {
		return b.measure(name, file, rows, runs, campaign, dry, want)
	}
	fresh := b.campaign
	first, err := fresh()
	if err != nil {
		return err
	}
	same := func() (string, error) { return first, nil }
	if err := measure("dry run (nothing stored)", same, true, rows); err != nil {
		return err
	}
	if err := measure("import into a new campaign", fresh, false, rows); err != nil {
		return err
	}
	if _, err := b.importPlan(first, file, false); err != nil {
		return err
	}
	if err := measure("the same file again", same, false, 0); err != nil {
		return err
	}
	stop, err := cpuprofile.Start(profile)
	if err != nil {
		return err
	}
	defer stop()
	return measure("dry run beside the items", same, true, 0)
}

// measure imports file runs times into the campaigns campaign gives (a dry
// run if dry), checks that each created want items, and prints the times.
func (b *bench) measure(name string, file []byte, rows, runs int, campaign func() (string, error), dry bool, want int) error {
	var walls, cpus []float64
	created := 0
	for range runs {
		id, err := campaign()
		if err != nil {
			return err
		}
		start, c0 := time.Now(), cpuTime()
		r, err := b.importPlan(id, file, dry)
		walls, cpus = append(walls, time.Since(start).Seconds()), append(cpus, (cpuTime()-c0).Seconds())
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if r.Created != want || len(r.Errors) != 0 || r.Rows != rows {
			return fmt.Errorf("%s: %d rows, %d created, %d errors (first %v)", name, r.Rows, r.Created, len(r.Errors), r.Errors)
		}
		if !dry {
			created = r.Created
		}
	}
	fmt.Printf("%-28s %7.2fs %7.2fs %7.2fs %8d\n", name, median(walls), slices.Max(walls), median(cpus), created)
	return nil
}

// bench is the service with an editor signed in.
type bench struct {
	a     *app.App
	base  string
	token string
	ctx   context.Context
}

func setup(ctx context.Context, a *app.App, base string) (*bench, error) {
	sc := store.WithScope(ctx, store.Scope{CommuneID: accounts.DefaultCommuneID})
	if _, err := a.Accounts.CreateUser(sc, accounts.NewUser{Username: "bien-tap", Password: "bench-password-1", Role: accounts.RoleEditor,
		DisplayName: "Biên tập", CommuneID: accounts.DefaultCommuneID}); err != nil {
		return nil, err
	}
	tok, _, err := a.Accounts.Login(ctx, "bien-tap", "bench-password-1", "bench")
	if err != nil {
		return nil, err
	}
	for _, s := range [][2]string{{"Cụm loa Thôn Đông", "Thôn Đông"}, {"Cụm loa Thôn Tây", "Thôn Tây"}, {"Cụm 1", "Thôn Bắc"}, {"Cụm 1", "Thôn Nam"}} {
		if _, err := a.Stations.Create(sc, stations.Input{Name: &s[0], Village: &s[1]}); err != nil {
			return nil, err
		}
	}
	return &bench{a: a, base: base, token: tok, ctx: sc}, nil
}

// campaign creates an Action Month 2026 campaign and returns its id.
func (b *bench) campaign() (string, error) {
	title, start, end := "Tháng hành động 2026", "2026-11-15", "2026-12-15"
	c, err := b.a.Campaigns.CreateCampaign(b.ctx, "admin", campaigns.CampaignInput{Title: &title, Start: &start, End: &end})
	return c.ID, err
}

type report struct {
	Rows    int `json:"rows"`
	Created int `json:"created"`
	Errors  []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// importPlan posts file to POST /api/v1/campaigns/:id/import.
func (b *bench) importPlan(campaign string, file []byte, dry bool) (report, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "ke-hoach.xlsx")
	if err != nil {
		return report{}, err
	}
	if _, err := fw.Write(file); err != nil {
		return report{}, err
	}
	if err := mw.Close(); err != nil {
		return report{}, err
	}
	d := "0"
	if dry {
		d = "1"
	}
	req, err := http.NewRequest(http.MethodPost, b.base+"/api/v1/campaigns/"+campaign+"/import?dry_run="+d, &body)
	if err != nil {
		return report{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+b.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return report{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return report{}, err
	}
	if res.StatusCode != http.StatusOK {
		return report{}, fmt.Errorf("status %d: %.300s", res.StatusCode, raw)
	}
	var r report
	return r, json.Unmarshal(raw, &r)
}

// plan is a month of a commune's plan, n rows: scripts on two named
// stations repeating on weekdays, posts with links, leaflets, events.
func plan(n int) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Loại", "Tiêu đề", "Nội dung", "Kênh", "Ngày", "Giờ", "Đến ngày", "Thứ", "Cụm loa", "Đối tượng", "Liên kết", "Địa điểm"}}
	for i := range n {
		day := time.Date(2026, 11, 15+i%31, 0, 0, 0, 0, time.UTC).Format("02/01/2006")
		title, body := fmt.Sprintf("Tin số %d", i+1), fmt.Sprintf("Nội dung tin số %d về bình đẳng giới và phòng, chống bạo lực gia đình.", i+1)
		at := fmt.Sprintf("%02d:%02d", 6+i%12, i%60)
		switch i % 4 {
		case 0:
			rows = append(rows, []any{"Loa", title, body, "", "15/11/2026", "06:00, 17:30", "15/12/2026", "T2-T6", "Cụm loa Thôn Đông, Cụm 1 (Thôn Nam)", "Người dân khu dân cư"})
		case 1:
			rows = append(rows, []any{"Bài đăng", title, body, "Facebook, Zalo", day, at, "", "", "", "Thanh niên; Học sinh, sinh viên", "https://example.org/tin"})
		case 2:
			rows = append(rows, []any{"Tờ rơi", title, body, "Bản in, Cổng thông tin", day, at})
		case 3:
			rows = append(rows, []any{"Sự kiện", title, body, "Sự kiện", day, at, "", "", "", "Phụ nữ", "", "Nhà văn hóa thôn Đông"})
		}
	}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cpuTime is the CPU time this process (the embedded store included) has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
