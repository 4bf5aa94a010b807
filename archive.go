package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/store"
)

// exportCmd writes the database to an archive (`lantoa export --out FILE`).
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
	m, err := store.Export(context.Background(), st.DB, f, time.Now())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	total := 0
	for _, c := range m.Collections {
		total += c.Documents
	}
	fmt.Fprintf(stdout, "exported %d documents in %d collections of %s to %s\n", total, len(m.Collections), m.Database, out)
	return nil
}

// importCmd restores an archive (`lantoa import --in FILE [--merge]`).
func importCmd(args []string, stdout, stderr io.Writer) error {
	in, rest := splitFlag(args, "in")
	if in == "" {
		return errors.New("lantoa import: --in FILE is required")
	}
	merge := false
	for i, a := range rest {
		if a == "--merge" || a == "-merge" {
			merge, rest = true, append(rest[:i:i], rest[i+1:]...)
			break
		}
	}
	st, err := openStore(rest, stderr)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("--in: %w", err)
	}
	defer f.Close()
	m, err := store.Import(context.Background(), st.DB, f, merge)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d collections from %s (made %s) into %s\n", len(m.Collections), in, m.CreatedAt.Format(time.RFC3339), st.DB.Name())
	return nil
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
