package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/demo"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/outbox"
	"github.com/lantoa/lantoa/store"
)

// demoCmd fills a fresh data folder with a realistic programme year
// (`lantoa demo --data DIR [--password PW]`). It refuses a database that
// holds anything, and publishes nothing: every channel goes to the outbox.
func demoCmd(args []string, stdout, stderr io.Writer) error {
	password, rest := splitFlag(args, "password")
	cfg, err := config.Load("lantoa demo", rest, os.Getenv, stderr)
	if err != nil {
		return err
	}
	if password == "" {
		password = demoPassword()
	}
	if len([]rune(password)) < 10 {
		return errors.New("lantoa demo: --password must be at least 10 characters")
	}
	// The demo is one long run of store commands in this process, and the
	// embedded store allocates as it decodes while the heap it keeps stays
	// small: at the default GOGC the collector took a third of the CPU.
	// Let the heap grow to nine times what is live, within 1 GiB (measured
	// on 2 cores: 77 s → 61 s, peak RSS 206 → 557 MB).
	debug.SetGCPercent(800)
	debug.SetMemoryLimit(1 << 30)
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	// A demo folder that a crash leaves half-filled is filled again, not
	// recovered: the embedded store skips fsync on commit meanwhile.
	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: quiet, Throwaway: true})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if err := mustBeEmpty(ctx, st.DB); err != nil {
		return err
	}
	real := time.Now()
	clk := demo.NewClock(real)
	pubs := map[string]publishers.Publisher{}
	outboxDir := filepath.Join(cfg.DataDir, "outbox")
	for _, ch := range []string{"loudspeaker", "facebook", "zalo", "portal", "print", "event"} {
		pubs[ch] = outbox.New(outboxDir, ch, cfg.Location, clk.Now)
	}
	pubs["zalo"] = demo.FailingOnce(pubs["zalo"])
	a, err := app.New(ctx, st.DB, app.Options{Config: cfg, Log: quiet, Now: clk.Now, Ping: st.Ping, Publishers: pubs})
	if err != nil {
		return err
	}
	if err := st.IndexIDs(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Lan Tỏa demo: filling %s (database %s) with a programme year up to %s…\n",
		cfg.DataDir, st.DB.Name(), real.In(cfg.Location).Format("02/01/2006 15:04"))
	res, err := demo.Run(ctx, a, clk, cfg.Location, demo.Options{Password: password, Now: real, Progress: stdout})
	if err != nil {
		return fmt.Errorf("lantoa demo: %w", err)
	}
	printDemo(stdout, res, a.AdminPassword, cfg, password)
	return nil
}

// mustBeEmpty refuses a database with any document in it.
func mustBeEmpty(ctx context.Context, db *mongo.Database) error {
	names, err := db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return fmt.Errorf("lantoa demo: reading the database: %w", err)
	}
	for _, n := range names {
		if c, err := db.Collection(n).EstimatedDocumentCount(ctx); err != nil || c > 0 {
			return fmt.Errorf("lantoa demo: the database %q is not empty (collection %s): the demo fills only a fresh data folder "+
				"(use --data with a new folder, or another LANTOA_DB)", db.Name(), n)
		}
	}
	return nil
}

func demoPassword() string {
	return "lantoa-" + strings.ToLower(rand.Text()[:10])
}

func printDemo(w io.Writer, r *demo.Result, adminPassword string, cfg *config.Config, password string) {
	fmt.Fprintf(w, "\nDone: the year %d of Xã Liên Minh.\n", r.Year)
	fmt.Fprintf(w, "  %d campaigns, %d stations, items: %s\n", r.Campaigns, r.Stations, counts(r.Items))
	fmt.Fprintf(w, "  deliveries: %s\n", counts(r.Deliveries))
	fmt.Fprintf(w, "  %d airings confirmed, %d slots reported skipped, %d QR scans, %d manual entries, %d platform snapshots\n",
		r.Airings, r.Skipped, r.Scans, r.Manual, r.Snapshots)
	if r.Leaflet != "" {
		fmt.Fprintf(w, "  leaflet QR code: %s\n", r.Leaflet)
	}
	fmt.Fprintln(w, "\nUsers (password for all but admin: "+password+"):")
	for _, u := range r.Users {
		fmt.Fprintf(w, "  %-10s %-9s %s\n", u.Username, u.Role, u.Name)
	}
	if adminPassword != "" {
		fmt.Fprintf(w, "  %-10s %-9s password: %s\n", "admin", "admin", adminPassword)
	} else {
		fmt.Fprintf(w, "  %-10s %-9s password: LANTOA_ADMIN_PASSWORD\n", "admin", "admin")
	}
	fmt.Fprintf(w, "\nStart the service on this data:\n  lantoa serve --data %s   (or: LANTOA_DATA=%s go run .)\n", cfg.DataDir, cfg.DataDir)
	fmt.Fprintf(w, "then open %s/ and sign in, e.g. as quanly for the reach dashboard and the %d report.\n", cfg.BaseURL, r.Year)
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
