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
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/byhand"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/clock"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/metrics"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/held"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/outbox"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scriptaudio"
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
	// Deliveries are the deliveries and their state; Dispatch sends them.
	Deliveries *deliveries.Service
	Dispatch   *dispatch.Dispatcher
	Reach      *reach.Service
	Media      *media.Service
	Poller     *reach.Poller
	Metrics    *metrics.Metrics
	Clock      *clock.Clock
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
	// Audio is the sound of loudspeaker scripts: uploads, recordings and
	// syntheses, normalised with ffmpeg (SPEC §6.3; audio.go).
	Audio *scriptaudio.Service
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
	// Deliveries and Dispatch tune the deliveries' leases and the
	// dispatcher (tests shorten leases and windows).
	Deliveries deliveries.Options
	Dispatch   dispatch.Options
	// Publishers replace the outbox for the channels they name.
	Publishers map[string]publishers.Publisher
	// TTSPoll tunes how a text-to-speech provider's pending audio is
	// polled (tests shorten it); zero means the provider's default.
	TTSPoll audio.Poll
	// BcryptCost is the password hashing cost; zero means accounts'
	// default (10). Tests lower it (apptest: bcrypt.MinCost): at 10, hashing
	// the passwords of the users they make and sign in was 42 % of the
	// browser tests' CPU.
	BcryptCost int
}

// New prepares the database (indexes, the default commune, the first admin,
// the observance campaigns of every commune) and builds the service. It is
// idempotent: every replica runs it at start.
//
// Every service gets its dependencies from its constructor, in an order
// without cycles (docs/architecture.md draws it): what needs only the
// store first (stamps, the audit log, stations, the outcome counters, the
// media library), then the deliveries, campaigns over them, accounts,
// reach, media, and the dispatcher, the poller, the rundowns and the HTTP
// surfaces on top.
func New(ctx context.Context, db *mongo.Database, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	o = withSettings(o)
	cfg, log, now, loc := o.Config, o.Log, o.Now, o.Config.Location
	a := &App{Clock: clock.New(loc, log), Stamps: stamps.New(db, log)}
	audit := campaigns.NewAuditLog(db, now, log)
	a.Stations = stations.NewService(db, a.Stamps, now, log)
	counters := reach.NewCounters(db, now, log)
	library := media.NewLibrary(db)
	pubs := publishersOf(db, o)
	a.Deliveries = deliveries.New(deliveries.Deps{DB: db, Audit: audit, Outcomes: counters, ByHand: dispatch.ByHandChannels(pubs),
		Stamps: a.Stamps, Now: now, Location: loc, Log: log}, o.Deliveries)
	a.Campaigns = campaigns.NewService(campaigns.Deps{DB: db, Audit: audit, Stations: a.Stations, Deliveries: a.Deliveries,
		Media: library, Stamps: a.Stamps, Now: now, Location: loc, Log: log})
	a.Accounts = accounts.NewService(accounts.Deps{DB: db, Stamps: a.Stamps, Audit: audit, Stations: a.Stations,
		Seeder: a.Campaigns, Now: now, Log: log, BcryptCost: o.BcryptCost})
	a.Reach = reach.NewService(reach.Deps{DB: db, Campaigns: a.Campaigns, Counters: counters, Communes: a.Accounts, Stations: a.Stations, Now: now, Location: loc, Log: log})
	a.Media = media.NewService(media.Deps{DB: db, Library: library, Items: a.Campaigns, Reach: a.Reach, Now: now, Location: loc,
		Log: log, BaseURL: cfg.BaseURL, SupportURL: cfg.SupportURL, CacheDir: filepath.Join(cfg.DataDir, "media-cache")})
	a.Metrics = metrics.New(a.Deliveries, o.Ping, log)
	outboxDir := filepath.Join(cfg.DataDir, "outbox")
	a.Dispatch = dispatch.New(dispatch.Deps{DB: db, Deliveries: a.Deliveries, Items: a.Campaigns, Content: a.Media.Content,
		Publishers: pubs, Fallback: func(ch string) publishers.Publisher { return outbox.New(outboxDir, ch, loc, now) },
		Observer: a.Metrics, Location: loc, Log: log}, o.Dispatch)
	a.Poller = reach.NewPoller(reach.PollerDeps{Reach: a.Reach, Stats: statsPollers(pubs), Sent: a.Deliveries,
		Now: now, Log: log, Observe: a.Metrics.Polled})
	a.ByHand = byhand.New(a.Deliveries, a.Campaigns, a.Media, a.Stamps)
	a.Plans = plans.New(a.Campaigns, a.Stations, now, loc)
	a.PlanFiles = held.New(db, now, log)
	a.Audio = newAudio(db, o, a.Campaigns, a.Media)
	a.Rundowns = rundown.NewService(rundown.Deps{Stations: a.Stations, Deliveries: a.Deliveries, Items: a.Campaigns, Reach: a.Reach,
		Stamps: a.Stamps, ReadWPM: cfg.ReadWPM, Now: now, Location: loc, Log: log, AudioURL: a.Media.AudioURL})
	if cfg.LoudspeakerWebhookURL != "" {
		a.Pusher = rundown.NewPusher(a.Rundowns, db, a.Accounts.CommuneIDs,
			rundown.PushOptions{URL: cfg.LoudspeakerWebhookURL, Secret: cfg.LoudspeakerWebhookSecret})
	}
	indexes := slices.Concat(accounts.Indexes(), campaigns.Indexes(), stations.Indexes(), deliveries.Indexes(), dispatch.Indexes(),
		reach.Indexes(), media.Indexes(), scriptaudio.Indexes())
	if err := store.EnsureIndexes(ctx, db, indexes); err != nil {
		return nil, err
	}
	if err := a.seed(ctx, cfg.AdminPassword); err != nil {
		return nil, err
	}
	if err := a.schedule(cfg); err != nil {
		return nil, err
	}
	engine := api.New(api.Deps{Accounts: a.Accounts, Campaigns: a.Campaigns, Stations: a.Stations, Deliveries: a.Deliveries,
		Dispatch: a.Dispatch, Reach: a.Reach, Rundowns: a.Rundowns, Metrics: a.Metrics, MetricsToken: cfg.MetricsToken, Ping: o.Ping,
		Plans: a.Plans, Audio: a.Audio, Poller: a.Poller, TrustedProxies: cfg.TrustedProxies, Media: a.Media, ByHand: a.ByHand,
		LeafletImage: a.Media.LeafletImageURL, Log: log, BaseURL: cfg.BaseURL, Version: Version, Now: now})
	// The web pages share the API's engine: one server, one session cookie,
	// the same middleware and security headers (web/routes.go is their table).
	web.New(web.Deps{Accounts: a.Accounts, Campaigns: a.Campaigns, Stations: a.Stations, Deliveries: a.Deliveries,
		Dispatch: a.Dispatch, Plans: a.Plans, PlanFiles: a.PlanFiles, Audio: a.Audio, Reach: a.Reach, Rundown: a.Rundowns, Media: a.Media,
		ByHand: a.ByHand, ReadWPM: cfg.ReadWPM, Log: log, BaseURL: cfg.BaseURL, Now: now, Location: loc}).Mount(engine)
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
	return a.Accounts.SeedCommunes(ctx)
}

// Start starts the clock, after catching up on what a downtime left behind:
// recurrences topped up, unconfirmed loudspeaker slots of past days missed.
// Deliveries that fell due meanwhile go out, or are marked missed, on the
// first dispatch tick.
func (a *App) Start(ctx context.Context) error {
	if err := a.Dispatch.TopUp(ctx); err != nil {
		return err
	}
	if _, err := a.Deliveries.MissUnconfirmed(ctx); err != nil {
		return err
	}
	a.Clock.Start()
	return nil
}

// Stop stops the clock, then lets sends in flight finish (until ctx ends).
func (a *App) Stop(ctx context.Context) {
	a.Clock.Stop()
	_ = a.Accounts.FlushTokenUse(ctx) // station token use counted since the last tick
	a.Dispatch.Stop(ctx)
}
