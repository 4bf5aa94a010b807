// Package store connects Lan Tỏa to its database: a MongoDB server named by a
// URI, or the embedded FerretDB store started in process. Only this package
// knows the difference; every other package is handed a *mongo.Database.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Options say where the store lives.
type Options struct {
	// URI of a MongoDB server or replica set. Empty means the embedded store.
	URI string
	// DataDir is the data folder; the embedded store keeps its files in DataDir/db.
	DataDir string
	// Database is the database name (LANTOA_DB).
	Database string
	// Logger receives the store's own messages; the embedded engine gets a quiet one.
	Logger *slog.Logger
	// Throwaway starts the embedded store without fsync on commit
	// (EngineOptions.Throwaway): for `lantoa demo`, never for the service.
	Throwaway bool
}

// Store is an open connection to the database.
type Store struct {
	Client   *mongo.Client
	DB       *mongo.Database
	Embedded bool
	engine   *Engine
	log      *slog.Logger
}

// Open connects to MONGODB_URI, or starts the embedded store under DataDir/db
// when the URI is empty. It returns an error naming the setting at fault when
// the data folder is not writable or the server cannot be reached.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Database == "" {
		o.Database = "lantoa"
	}
	s := &Store{log: o.Logger}
	uri := o.URI
	if uri == "" {
		eng, err := StartEngine(ctx, EngineOptions{DataDir: o.DataDir, Logger: o.Logger, Throwaway: o.Throwaway})
		if err != nil {
			return nil, err
		}
		s.engine, s.Embedded, uri = eng, true, eng.URI()
	}
	client, err := Connect(ctx, uri, s.Embedded)
	if err != nil {
		s.closeEngine()
		if s.Embedded {
			return nil, fmt.Errorf("embedded store under LANTOA_DATA=%q: %w", o.DataDir, err)
		}
		return nil, fmt.Errorf("MONGODB_URI %s: %w", redactURI(o.URI), err)
	}
	s.Client, s.DB = client, client.Database(o.Database)
	return s, nil
}

// Connect opens a driver client and waits until the server answers a ping.
// single forces one connection: the embedded engine applies an update as a
// read and a write outside any transaction, so two connections could
// interleave them (DESIGN §2); through one connection every command is atomic.
func Connect(ctx context.Context, uri string, single bool) (*mongo.Client, error) {
	client, err := mongo.Connect(clientOptions(uri, single))
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, readpref.Primary()); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("server unreachable: %w", err)
	}
	return client, nil
}

// clientOptions are the driver settings of Connect.
func clientOptions(uri string, single bool) *options.ClientOptions {
	// Defaults first, so that settings in the URI win.
	opts := options.Client().
		SetServerSelectionTimeout(10 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetAppName("lantoa").
		ApplyURI(uri)
	if single {
		// The one connection is a queue, and the driver bounds the wait
		// for it by the server selection timeout: at 10 s, commands queued
		// behind a large write (50 MB of photos) on a loaded machine failed
		// (store.TestConformance beside TestExportOfLargeDocuments, while
		// the browser tests ran). There is no server to find, only a turn
		// to wait for; callers' deadlines still apply.
		opts.SetMaxPoolSize(1).SetMinPoolSize(1).SetServerSelectionTimeout(2 * time.Minute)
	}
	return opts
}

// Ping reports whether the database answers within the context's deadline.
func (s *Store) Ping(ctx context.Context) error {
	return s.Client.Ping(ctx, readpref.Primary())
}

// IndexIDs gives every collection of the embedded store a lookup index on
// the expression its reads and updates by _id filter on (see idindex.go),
// at once rather than within the engine's next few seconds. Call it after
// creating collections; on MongoDB it does nothing.
func (s *Store) IndexIDs(ctx context.Context) error {
	if s.engine == nil {
		return nil
	}
	_, err := s.engine.IndexIDs(ctx)
	return err
}

// Close disconnects and stops the embedded engine, if any.
func (s *Store) Close(ctx context.Context) error {
	err := s.Client.Disconnect(ctx)
	s.closeEngine()
	return err
}

func (s *Store) closeEngine() {
	if s.engine != nil {
		s.engine.Stop()
		s.engine = nil
	}
}

// IsDuplicateKey reports whether err is a unique-index violation.
func IsDuplicateKey(err error) bool { return mongo.IsDuplicateKeyError(err) }

// IsNoDocuments reports whether err means the query matched nothing.
func IsNoDocuments(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }
