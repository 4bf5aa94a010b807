package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/lantoa/lantoa/store"
)

// serveDB runs the embedded store alone (`lantoa db`), so that several
// `lantoa serve` replicas on one host can share it with
// MONGODB_URI=mongodb://ADDR/. It executes one command at a time.
func serveDB(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lantoa db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:27018", "address to listen on (loopback only unless --allow-remote)")
	data := fs.String("data", envOr("LANTOA_DATA", "./data"), "data folder; the store lives in DATA/db ($LANTOA_DATA)")
	remote := fs.Bool("allow-remote", false, "listen on a non-loopback address (the store has no authentication)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	eng, err := store.StartEngine(ctx, store.EngineOptions{DataDir: *data, Logger: log})
	if err != nil {
		return err
	}
	defer eng.Stop()
	p, err := store.NewProxy(*listen, *remote, eng, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "lantoa db: serving %s on %s (MONGODB_URI=mongodb://%s/)\n", *data, p.Addr(), p.Addr())
	return p.Serve(ctx)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
