// Command lantoa is the communication campaign planner and publisher of the
// commune's 2026–2030 programme against gender-based violence.
//
//	lantoa [serve] [flags]   run the service (the default)
//	lantoa db [--listen ADDR] [--data DIR]   run the embedded store alone for several replicas
//	lantoa export --out FILE  write every collection and the media to an archive
//	lantoa import --in FILE [--merge]   restore an archive into an empty database
//	lantoa demo --data DIR [--password PW]   fill a fresh data folder with a realistic programme year
//	lantoa health            exit 0 if the local service answers /healthz (for HEALTHCHECK)
//	lantoa version           print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/store"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lantoa:", err)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stdout, stderr)
	case "export":
		return exportCmd(args, stdout, stderr)
	case "import":
		return importCmd(args, stdout, stderr)
	case "db":
		return serveDB(args, stdout, stderr)
	case "demo":
		return demoCmd(args, stdout, stderr)
	case "health":
		return health(os.Getenv("LANTOA_ADDR"))
	case "version":
		fmt.Fprintln(stdout, "lantoa", app.Version)
		return nil
	default:
		return fmt.Errorf("unknown command %q (commands: serve, db, export, import, demo, health, version)", cmd)
	}
}

func serve(args []string, stdout, stderr io.Writer) error {
	cfg, err := config.Load("lantoa serve", args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	tuneGC(os.Getenv)
	logOut := newLogWriter(stderr)
	defer logOut.Close()
	log := slog.New(flushOnWarn{slog.NewJSONHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}), logOut})
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: log})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	a, err := app.New(ctx, st.DB, app.Options{Config: cfg, Log: log, Ping: st.Ping})
	if err != nil {
		return err
	}
	if err := st.IndexIDs(ctx); err != nil {
		log.Warn("indexing _id lookups in the embedded store (reads by id stay correct, only slower)", "err", err)
	}
	if a.AdminPassword != "" {
		fmt.Fprintf(stdout, "\nFirst admin created. Sign in as user \"admin\" with password: %s\n"+
			"(shown once; set LANTOA_ADMIN_PASSWORD to choose it)\n\n", a.AdminPassword)
	}
	srv := api.HTTPServer(cfg.Addr, a.Handler)
	errc := make(chan error, 1)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("LANTOA_ADDR=%s: %w", cfg.Addr, err)
	}
	lane := api.FastLane(ln, srv)
	go func() { errc <- srv.Serve(lane) }()
	if err := a.Start(ctx); err != nil {
		return err
	}
	log.Info("lantoa serving", "addr", cfg.Addr, "embedded_store", st.Embedded, "version", app.Version)

	select {
	case err := <-errc:
		a.Stop(context.Background())
		return fmt.Errorf("LANTOA_ADDR=%s: %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a.Stop(shutCtx)
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return lane.Wait(shutCtx)
}

// health asks the service on this machine for /healthz; container images
// without curl use it as their HEALTHCHECK.
func health(addr string) error {
	if addr == "" {
		addr = ":8080"
	}
	if addr[0] == ':' {
		addr = "127.0.0.1" + addr
	}
	client := http.Client{Timeout: 3 * time.Second}
	res, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", res.StatusCode)
	}
	return nil
}

// tuneGC runs the collector an eighth as often as Go's default (GOGC=800)
// under a soft memory limit of 512 MiB, unless GOGC or GOMEMLIMIT say
// otherwise. The live heap is small (about 10 MB), so the default collected
// many times a second under load, and each collection's mark phase takes a
// quarter of the CPU for about 10 ms: the rundown pull's p99 at saturation
// (wrk as bench/rundown drives it, by hand) was 9.0–11.1 ms (median 9.7) at
// 400 and 8.0–10.5 (median 9.0) at 800, for a peak resident size of 110
// and 160 MB (2026-12-03). The limit keeps a leaflet render (up to
// ~250 MB live) from letting the heap grow to nine times that on a 1 GB
// machine.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(800)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
