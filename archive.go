package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// exportCmd writes the database to an archive (`lantoa export --out FILE`).
// Each collection is spooled next to FILE while the archive is written.
func exportCmd(args []string, stdout, stderr io.Writer) error {
	out, rest := splitFlag(args, "out")
	if out == "" {
		return errors.New("lantoa export: --out FILE is required")
	}
	st, err := openStore(rest, stderr)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	m, err := store.Export(context.Background(), st.DB, f, store.ExportOptions{Now: time.Now(), TempDir: filepath.Dir(out),
		NaturalOrder: st.Embedded})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	var total int64
	for _, c := range m.Collections {
		total += c.Documents
	}
	fmt.Fprintf(stdout, "exported %d documents in %d collections of %s to %s\n", total, len(m.Collections), m.Database, out)
	return nil
}

// importCmd restores an archive (`lantoa import --in FILE [--merge]
// [--check]`): the whole archive is verified against every domain's
// collections before anything is written; --check only verifies.
func importCmd(args []string, stdout, stderr io.Writer) error {
	in, rest := splitFlag(args, "in")
	if in == "" {
		return errors.New("lantoa import: --in FILE is required")
	}
	merge, rest := takeBool(rest, "merge")
	check, rest := takeBool(rest, "check")
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("--in: %w", err)
	}
	defer f.Close()
	if check {
		m, err := store.Verify(f, app.ArchiveSchema(), store.DefaultArchiveLimits)
		if err != nil {
			return fmt.Errorf("the archive is refused: %w", err)
		}
		fmt.Fprintf(stdout, "%s is sound: %d collections (made %s); nothing was written\n", in, len(m.Collections), m.CreatedAt.Format(time.RFC3339))
		return nil
	}
	st, err := openStore(rest, stderr)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	// Ctrl-C or SIGTERM while writing is a failure like any other: Import
	// removes what it wrote before returning.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, err := store.Import(ctx, st.DB, f, store.ImportOptions{Merge: merge, Schema: app.ArchiveSchema()})
	if err != nil {
		return err
	}
	// Replicas serving this database hold campaigns, items and rundowns in
	// memory against stamps: move them all, so that what was merged shows.
	if err := stamps.BumpAll(ctx, st.DB); err != nil {
		return fmt.Errorf("the archive was imported, but %w: restart the service so that it shows", err)
	}
	fmt.Fprintf(stdout, "imported %d collections from %s (made %s) into %s\n", len(m.Collections), in, m.CreatedAt.Format(time.RFC3339), st.DB.Name())
	return nil
}

// takeBool takes --name (or -name) out of args.
func takeBool(args []string, name string) (bool, []string) {
	for i, a := range args {
		if a == "--"+name || a == "-"+name {
			return true, append(args[:i:i], args[i+1:]...)
		}
	}
	return false, args
}

// openStore opens the database named by the usual settings (flags or env).
func openStore(args []string, stderr io.Writer) (*store.Store, error) {
	cfg, err := config.Load("lantoa", args, os.Getenv, stderr)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	return store.Open(context.Background(), store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database,
		Logger: slog.New(slog.DiscardHandler)})
}

// splitFlag takes --name VALUE (or --name=VALUE) out of args.
func splitFlag(args []string, name string) (string, []string) {
	for i := 0; i < len(args); i++ {
		for _, p := range []string{"--" + name, "-" + name} {
			if args[i] == p && i+1 < len(args) {
				return args[i+1], append(args[:i:i], args[i+2:]...)
			}
			if v, ok := strings.CutPrefix(args[i], p+"="); ok {
				return v, append(args[:i:i], args[i+1:]...)
			}
		}
	}
	return "", args
}
