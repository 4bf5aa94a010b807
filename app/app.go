// Package app wires the domain packages, the clock and the HTTP surface
// together over one database. main uses it to serve; end-to-end tests use it
// to build the real service over a test database.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/byhand"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/clock"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/metrics"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/held"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/outbox"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scheduler"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/web"
)

// Version is set at build time with -ldflags "-X github.com/lantoa/lantoa/app.Version=…".
var Version = "dev"

// App is the whole service over one database.
type App struct {
	Handler   http.Handler
	Accounts  *accounts.Service
	Campaigns *campaigns.Service
	Stations  *stations.Service
	Scheduler *scheduler.Scheduler
	Reach     *reach.Service
	Media     *media.Service
	Poller    *reach.Poller
	Metrics   *metrics.Metrics
	Clock     *clock.Clock
	// Stamps are the version stamps cached reads check (rundowns, station
	// tokens); Rundowns serves loudspeaker rundowns and airing reports;
	// Pusher, set when LOUDSPEAKER_WEBHOOK_URL is, pushes them daily.
	Stamps   *stamps.Stamps
	Rundowns *rundown.Service
	Pusher   *rundown.Pusher
	// ByHand is publishing by hand (Facebook and Zalo without credentials).
	ByHand *byhand.Service
	// Plans reads and writes campaigns' plans as spreadsheets (SPEC §6.4);
	// PlanFiles keeps an uploaded plan between its preview and its import.
	Plans     *plans.Service
	PlanFiles *held.Files
	// AdminPassword is set when the first admin was created with a random
	// password, so that the caller can print it once.
	AdminPassword string
}

// Options are what New needs besides the database.
type Options struct {
	Config *config.Config
	Log    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Ping checks the database for /readyz.
	Ping func(context.Context) error
	// Scheduler tunes the dispatcher (tests shorten leases and windows).
	Scheduler scheduler.Options
	// Publishers replace the outbox for the channels they name.
	Publishers map[string]publishers.Publisher
}

// New prepares the database (indexes, the default commune, the first admin,
// the observance campaigns of every commune) and builds the service. It is
// idempotent: every replica runs it at start.
func New(ctx context.Context, db *mongo.Database, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	o = withSettings(o)
	cfg, log := o.Config, o.Log
	a := &App{
		Accounts:  accounts.NewService(db, o.Now, log),
		Campaigns: campaigns.NewService(db, o.Now, cfg.Location, log),
		Stations:  stations.NewService(db, o.Now, log),
		Clock:     clock.New(cfg.Location, log),
	}
	a.Reach = reach.NewService(db, a.Campaigns, o.Now, cfg.Location, log)
	a.Stamps = stamps.New(db, log)
	a.Accounts.Stamps, a.Stations.Stamps, a.Campaigns.Stamps = a.Stamps, a.Stamps, a.Stamps
	a.Media = media.NewService(media.Deps{DB: db, Items: a.Campaigns, Reach: a.Reach, Now: o.Now, Location: cfg.Location,
		Log: log, BaseURL: cfg.BaseURL, SupportURL: cfg.SupportURL, CacheDir: filepath.Join(cfg.DataDir, "media-cache")})
	outboxDir := filepath.Join(cfg.DataDir, "outbox")
	a.Metrics = metrics.New(db, o.Ping, o.Now, log)
	pubs := a.publishers(db, o)
	a.Scheduler = scheduler.New(scheduler.Deps{DB: db, Items: a.Campaigns, Publishers: pubs, Observer: a.Metrics, Content: a.Media.Content,
		Fallback: func(ch string) publishers.Publisher { return outbox.New(outboxDir, ch, cfg.Location, o.Now) },
		Now:      o.Now, Location: cfg.Location, Log: log, Stamps: a.Stamps, Outcomes: outcomeRecorder{a.Reach}}, o.Scheduler)
	a.Campaigns.Stations, a.Campaigns.Deliveries, a.Campaigns.Media = a.Stations, a.Scheduler, a.Media
	a.Accounts.Audit, a.Accounts.Stations = a.Campaigns, a.Stations
	a.Poller = a.newPoller(pubs, o)
	a.ByHand = byhand.New(a.Scheduler, a.Campaigns, a.Media, a.Stamps)
	a.Plans = plans.New(a.Campaigns, a.Stations, o.Now, cfg.Location)
	a.PlanFiles = held.New(db, o.Now, log)
	a.Rundowns = rundown.NewService(rundown.Deps{Stations: a.Stations, Deliveries: a.Scheduler, Items: a.Campaigns, Reach: a.Reach,
		Stamps: a.Stamps, ReadWPM: cfg.ReadWPM, Now: o.Now, Location: cfg.Location, Log: log})
	indexes := slices.Concat(accounts.Indexes(), campaigns.Indexes(), stations.Indexes(), scheduler.Indexes(), reach.Indexes(), media.Indexes())
	if err := store.EnsureIndexes(ctx, db, indexes); err != nil {
		return nil, err
	}
	if err := a.seed(ctx, cfg.AdminPassword); err != nil {
		return nil, err
	}
	if err := a.schedule(); err != nil {
		return nil, err
	}
	if err := a.scheduleStations(db, cfg); err != nil {
		return nil, err
	}
	engine := api.New(api.Deps{Accounts: a.Accounts, Campaigns: a.Campaigns, Stations: a.Stations, Scheduler: a.Scheduler, Reach: a.Reach, Rundowns: a.Rundowns, Metrics: a.Metrics, MetricsToken: cfg.MetricsToken, Ping: o.Ping,
		Plans: a.Plans, // the plan spreadsheets (SPEC §6.4)

		Poller: a.Poller, TrustedProxies: cfg.TrustedProxies, Media: a.Media, ByHand: a.ByHand, LeafletImage: a.Media.LeafletImageURL, Log: log, BaseURL: cfg.BaseURL, Version: Version,
		Now: o.Now})
	// The web pages share the API's engine: one server, one session cookie,
	// the same middleware and security headers (web/routes.go is their table).
	web.New(web.Deps{Accounts: a.Accounts, Campaigns: a.Campaigns, Stations: a.Stations, Scheduler: a.Scheduler,
		Plans: a.Plans, PlanFiles: a.PlanFiles,
		Reach: a.Reach, Rundown: a.Rundowns, Media: a.Media, ByHand: a.ByHand, ReadWPM: cfg.ReadWPM, Log: log, BaseURL: cfg.BaseURL, Now: o.Now, Location: cfg.Location}).Mount(engine)
	a.Handler = engine
	return a, nil
}

func (a *App) seed(ctx context.Context, adminPassword string) error {
	if err := a.Accounts.EnsureCommune(ctx, accounts.DefaultCommuneID, accounts.DefaultCommuneName); err != nil {
		return err
	}
	pw, err := a.Accounts.EnsureFirstAdmin(ctx, accounts.DefaultCommuneID, adminPassword)
	if err != nil {
		return fmt.Errorf("creating the first admin: %w", err)
	}
	a.AdminPassword = pw
	return a.seedCommunes(ctx)
}

// seedCommunes makes sure every commune has its observance campaigns.
func (a *App) seedCommunes(ctx context.Context) error {
	list, err := a.Accounts.ListCommunes(ctx)
	if err != nil {
		return err
	}
	for _, c := range list {
		if err := a.Campaigns.Seed(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// schedule registers the clock's housekeeping jobs.
func (a *App) schedule() error {
	if err := a.Clock.Add("0 17 * * * *", "sweep-tokens", func(ctx context.Context) error {
		_, err := a.Accounts.SweepExpired(ctx)
		return err
	}); err != nil {
		return err
	}
	if err := a.Clock.Add("0 5 0 * * *", "seed-campaigns", a.seedCommunes); err != nil {
		return err
	}
	// The QR scan counter's salts and hashes of past days (no personal
	// data kept past the day); hourly, so at most an hour late.
	if err := a.Clock.Add("0 3 * * * *", "sweep-scan-visits", func(ctx context.Context) error {
		_, err := a.Media.SweepScans(ctx)
		return err
	}); err != nil {
		return err
	}
	// Plan files uploaded for an import and left: kept hours, not days.
	if err := a.Clock.Add("0 41 * * * *", "sweep-plan-files", func(ctx context.Context) error {
		_, err := a.PlanFiles.Sweep(ctx)
		return err
	}); err != nil {
		return err
	}
	if err := a.Clock.Add("15 */15 * * * *", "repair-reach-rollups", func(ctx context.Context) error {
		_, err := a.Reach.Repair(ctx)
		return err
	}); err != nil {
		return err
	}
	if err := a.schedulePublishing(); err != nil {
		return err
	}
	if err := a.scheduleReach(); err != nil {
		return err
	}
	return a.Scheduler.Schedule(a.Clock)
}

// Start starts the clock, after catching up on what a downtime left behind:
// recurrences topped up, unconfirmed loudspeaker slots of past days missed.
// Deliveries that fell due meanwhile go out, or are marked missed, on the
// first dispatch tick.
func (a *App) Start(ctx context.Context) error {
	if err := a.Scheduler.TopUp(ctx); err != nil {
		return err
	}
	if _, err := a.Scheduler.MissUnconfirmed(ctx); err != nil {
		return err
	}
	a.Clock.Start()
	return nil
}

// Stop stops the clock, then lets sends in flight finish (until ctx ends).
func (a *App) Stop(ctx context.Context) {
	a.Clock.Stop()
	_ = a.Accounts.FlushTokenUse(ctx) // station token use counted since the last tick
	a.Scheduler.Stop(ctx)
}
