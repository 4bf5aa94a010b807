// Package demo fills a fresh database with a realistic programme year of
// one commune, through the domain services (never HTTP), so that a newcomer
// sees every page with data: the observance campaigns with targets and two
// of the commune's own, stations in several villages, a user for each role,
// loudspeaker scripts aired at 06:00 and 17:30 until each campaign ends (on
// weekdays; daily in the action month of 15/11–15/12), social posts,
// a leaflet with its QR code, events with attendance, deliveries in every
// state, airings, scans, platform statistics and manual entries.
//
// It drives the real service on a moving clock: items are written and
// approved days ahead, then each day of the year so far is lived — the
// daily top-up, the dispatcher at each due time, operators confirming or
// skipping slots, the end-of-day housekeeping — up to now.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

// Clock is the service's clock, which the demo moves: app.New must have
// been given its Now.
type Clock interface {
	Now() time.Time
	Set(time.Time)
}

// SettableClock is a Clock for main.
type SettableClock struct{ t time.Time }

// NewClock returns a clock at t.
func NewClock(t time.Time) *SettableClock { return &SettableClock{t: t} }

// Now returns the clock's time.
func (c *SettableClock) Now() time.Time { return c.t }

// Set moves the clock.
func (c *SettableClock) Set(t time.Time) { c.t = t }

// User is a demo account.
type User struct {
	Username, Role, Name string
}

// Result is what the demo made.
type Result struct {
	Year       int
	Users      []User
	Stations   int
	Campaigns  int
	Items      map[string]int
	Deliveries map[string]int
	Airings    int
	Skipped    int
	Scans      int
	Manual     int
	Snapshots  int
	Leaflet    string // "" when the leaflet could not be rendered
}

// Options are the demo's inputs.
type Options struct {
	// Password is every demo user's password.
	Password string
	// Now is the real time: the demo lives the year up to it.
	Now time.Time
	// Progress gets a line per stage.
	Progress io.Writer
}

// Run fills the database behind a (which must be fresh) and returns what it
// made. clk must be the clock a was built with.
func Run(ctx context.Context, a *app.App, clk Clock, loc *time.Location, o Options) (*Result, error) {
	year := min(max(o.Now.In(loc).Year(), 2026), 2030)
	d := &demo{a: a, clk: clk, loc: loc, o: o, year: year, ctx: store.WithScope(ctx, store.Scope{CommuneID: accounts.DefaultCommuneID}),
		res: &Result{Year: year, Items: map[string]int{}, Deliveries: map[string]int{}}}
	d.now = o.Now
	if d.now.Year() > year {
		d.now = time.Date(year, 12, 31, 20, 0, 0, 0, loc)
	}
	clk.Set(time.Date(year, 1, 2, 8, 0, 0, 0, loc))
	for _, step := range []func() error{d.users, d.stations, d.campaigns, d.live, d.finish} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d.res, nil
}

// demo is one run.
type demo struct {
	a        *app.App
	clk      Clock
	loc      *time.Location
	o        Options
	ctx      context.Context
	year     int
	now      time.Time
	res      *Result
	sts      []stations.Station
	plans    []*campaignPlan
	editor   campaigns.Actor
	manager  campaigns.Actor
	operator string
	posts    []sentPost
	leaflet  *leafletPlan
}

func (d *demo) progress(format string, args ...any) {
	if d.o.Progress != nil {
		fmt.Fprintf(d.o.Progress, format+"\n", args...)
	}
}

func (d *demo) users() error {
	for _, u := range []struct {
		name, display string
		role          accounts.Role
	}{
		{"bientap", "Nguyễn Thị Hoa (Trung tâm dịch vụ sự nghiệp công xã)", accounts.RoleEditor},
		{"quanly", "Trần Văn Nam (Phòng Văn hoá - Xã hội)", accounts.RoleManager},
		{"sonoivu", "Sở Nội vụ tỉnh", accounts.RoleProvince},
	} {
		made, err := d.a.Accounts.CreateUser(d.ctx, accounts.NewUser{Username: u.name, Password: d.o.Password, Role: u.role,
			DisplayName: u.display, CommuneID: accounts.DefaultCommuneID})
		if err != nil {
			return fmt.Errorf("user %s: %w", u.name, err)
		}
		d.res.Users = append(d.res.Users, User{Username: made.Username, Role: string(u.role), Name: u.display})
		switch u.role {
		case accounts.RoleEditor:
			d.editor = campaigns.Actor{UserID: made.ID, Username: made.Username}
		case accounts.RoleManager:
			d.manager = campaigns.Actor{UserID: made.ID, Username: made.Username}
		}
	}
	return nil
}

// demoStations are the commune's loudspeaker clusters; Xóm Bến has none,
// so the coverage page shows a village not reached by loudspeaker.
var demoStations = []struct {
	name, village string
	households    int
}{
	{"Cụm loa Nhà văn hóa Thôn Đông", "Thôn Đông", 180},
	{"Cụm loa Đầu làng Thôn Đông", "Thôn Đông", 95},
	{"Cụm loa Thôn Tây", "Thôn Tây", 160},
	{"Cụm loa Xóm Đình", "Xóm Đình", 120},
	{"Cụm loa Xóm Chùa", "Xóm Chùa", 85},
	{"Cụm loa Chợ Liên Minh", "Xóm Chợ", 140},
	{"Cụm loa Thôn Nam", "Thôn Nam", 150},
	{"Cụm loa Thôn Bắc", "Thôn Bắc", 110},
}

func (d *demo) stations() error {
	var ids []string
	for _, s := range demoStations {
		name, village, hh := s.name, s.village, s.households
		st, err := d.a.Stations.Create(d.ctx, stations.Input{Name: &name, Village: &village, Households: &hh})
		if err != nil {
			return fmt.Errorf("station %s: %w", s.name, err)
		}
		d.sts = append(d.sts, st)
		ids = append(ids, st.ID)
	}
	d.res.Stations = len(d.sts)
	d.operator = "vanhanh"
	_, err := d.a.Accounts.CreateUser(d.ctx, accounts.NewUser{Username: d.operator, Password: d.o.Password, Role: accounts.RoleOperator,
		DisplayName: "Lê Văn Tuấn (vận hành truyền thanh)", StationIDs: ids, CommuneID: accounts.DefaultCommuneID})
	if err != nil {
		return fmt.Errorf("user %s: %w", d.operator, err)
	}
	d.res.Users = append(d.res.Users, User{Username: d.operator, Role: string(accounts.RoleOperator), Name: "Lê Văn Tuấn (vận hành truyền thanh, mọi cụm loa)"})
	return nil
}

// finish brings the service to now: the night's work, the outcome tally,
// the report deadline notice, and the count of deliveries by state.
func (d *demo) finish() error {
	d.clk.Set(d.now)
	if err := d.a.Dispatch.TopUp(d.ctx); err != nil {
		return err
	}
	if _, err := d.a.Deliveries.MissUnconfirmed(d.ctx); err != nil {
		return err
	}
	if err := d.a.Deliveries.Retell(d.ctx); err != nil {
		return err
	}
	if err := d.a.Reach.RefreshNotices(d.ctx, []string{accounts.DefaultCommuneID}); err != nil {
		return err
	}
	out, err := d.a.Reach.Outcomes(d.ctx, d.year)
	if err != nil {
		return err
	}
	for state, n := range out.Totals {
		d.res.Deliveries[state] = int(n)
	}
	for _, state := range []string{"queued", "failed"} {
		list, err := d.a.Deliveries.List(d.ctx, deliveries.Filter{State: state})
		if err != nil {
			return err
		}
		if len(list) > 0 {
			d.res.Deliveries[state] = len(list)
		}
	}
	return nil
}
