package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses for its files
)

// The embedded engine (FerretDB v1 on SQLite) keeps each collection as a
// table of JSON documents and pushes a filter of {_id: v} down to SQLite as
//
//	WHERE _ferretdb_sjson->'$._id' = ?
//
// but the unique index it creates for _id is on the expression
// _ferretdb_sjson->"_id", which SQLite does not see as the same expression.
// So every read and every update by _id parsed the JSON of every row: about
// 25 ms for a find and an update by _id on 5,000 documents (measured). An
// index on the exact expression of the query turns that into a B-tree
// search: 1.1 ms on the same collection, and flat as the collection grows.
//
// idIndexSuffix names the index this package adds to every collection table.
// It is an ordinary index (FerretDB's own unique index still enforces
// uniqueness); FerretDB does not list it, and dropping a collection drops it.
const idIndexSuffix = "_lantoa_id"

// idIndexEvery is how often the engine looks for collection tables without
// the index (collections are created lazily, by the first insert).
const idIndexEvery = 5 * time.Second

// IndexIDs adds the _id lookup index to every collection table of every
// database of the engine that lacks it, and reports how many it created.
func (e *Engine) IndexIDs(ctx context.Context) (int, error) {
	if e.dir == "" {
		return 0, nil
	}
	files, err := filepath.Glob(filepath.Join(e.dir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	created := 0
	var errs []error
	for _, f := range files {
		n, err := indexIDsIn(ctx, f)
		created += n
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(f), err))
		}
	}
	return created, errors.Join(errs...)
}

// indexIDsIn indexes the collection tables of one database file. It opens
// the file without creating it (a database dropped meanwhile is skipped) and
// closes it again, so no handle outlives a drop.
func indexIDsIn(ctx context.Context, file string) (int, error) {
	u := &url.URL{Scheme: "file", Opaque: file, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, idIndexSuffix)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "unable to open") {
			return 0, nil // a database being created or dropped
		}
		return 0, err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	created := 0
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+idIndexSuffix, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // dropped meanwhile
			}
			return created, fmt.Errorf("indexing %s: %w", t, err)
		}
		created++
	}
	return created, nil
}

// indexIDsLoop keeps new collections indexed until ctx ends.
func (e *Engine) indexIDsLoop(ctx context.Context) {
	t := time.NewTicker(idIndexEvery)
	defer t.Stop()
	for {
		if _, err := e.IndexIDs(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("indexing _id lookups in the embedded store", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
