// Package app wires the domain packages, the clock and the HTTP surface
// together over one database. main uses it to serve; end-to-end tests use it
// to build the real service over a test database.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/scheduler"
	"github.com/lantoa/lantoa/store"
)

// Version is set at build time with -ldflags "-X github.com/lantoa/lantoa/app.Version=…".
var Version = "dev"

// App is the whole service over one database.
type App struct {
	Handler   http.Handler
	Accounts  *accounts.Service
	Campaigns *campaigns.Service
	Clock     *scheduler.Clock
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
}

// New prepares the database (indexes, the default commune, the first admin,
// the observance campaigns of every commune) and builds the service. It is
// idempotent: every replica runs it at start.
func New(ctx context.Context, db *mongo.Database, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	cfg, log := o.Config, o.Log
	a := &App{
		Accounts:  accounts.NewService(db, o.Now, log),
		Campaigns: campaigns.NewService(db, o.Now, cfg.Location, log),
		Clock:     scheduler.NewClock(cfg.Location, log),
	}
	if err := store.EnsureIndexes(ctx, db, append(accounts.Indexes(), campaigns.Indexes()...)); err != nil {
		return nil, err
	}
	if err := a.seed(ctx, cfg.AdminPassword); err != nil {
		return nil, err
	}
	if err := a.schedule(); err != nil {
		return nil, err
	}
	a.Handler = api.New(api.Deps{Accounts: a.Accounts, Campaigns: a.Campaigns, Ping: o.Ping,
		Log: log, BaseURL: cfg.BaseURL, Version: Version})
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
	return a.Clock.Add("0 5 0 * * *", "seed-campaigns", a.seedCommunes)
}
