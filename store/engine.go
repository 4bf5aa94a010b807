package store

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// maxSocketPath is the longest Unix socket path the kernel accepts (108 bytes
// with the terminating NUL on Linux), kept with a margin.
const maxSocketPath = 100

// EngineOptions configure the embedded store.
type EngineOptions struct {
	// DataDir is the data folder; the engine writes DataDir/db.
	DataDir string
	// Listen, when set, is a TCP address to listen on instead of the Unix socket.
	Listen string
	// Logger gets the store's start and stop messages. The engine itself logs
	// only warnings and errors, through a derived logger.
	Logger *slog.Logger
	// Throwaway, for a data folder that is rebuilt rather than recovered
	// after a crash (tests, `lantoa demo`), skips SQLite's fsync on each
	// commit (synchronous=OFF); a crash of the machine may then lose or
	// corrupt the folder. The service never sets it: its commits are
	// durable (synchronous=FULL, SQLite's default in WAL mode).
	Throwaway bool
}

// sqliteURL is the engine's SQLite URL for dir; FerretDB adds its own
// pragmas (busy timeout, WAL, no auto-vacuum) to whatever it is given.
func sqliteURL(dir string, throwaway bool) string {
	u := url.URL{Scheme: "file", Opaque: dir + "/"}
	if throwaway {
		u.RawQuery = url.Values{"_pragma": {"synchronous(off)"}}.Encode()
	}
	return u.String()
}

// Engine is the embedded FerretDB store running in this process on SQLite.
type Engine struct {
	fdb    *ferretdb.FerretDB
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
	idxed  chan struct{} // closed when the _id indexing loop has ended
	dir    string        // the folder of the SQLite files
	log    *slog.Logger
	Socket string // Unix socket path, when listening on one
}

// StartEngine starts FerretDB on SQLite files under DataDir/db (created 0700).
// It listens on a Unix socket inside that folder so no unauthenticated TCP port
// is opened; when the socket path would be too long it falls back to a random
// loopback port.
func StartEngine(ctx context.Context, o EngineOptions) (*Engine, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(filepath.Join(o.DataDir, "db"))
	if err != nil {
		return nil, fmt.Errorf("LANTOA_DATA=%q: %w", o.DataDir, err)
	}
	if err := ensureWritableDir(dir); err != nil {
		return nil, fmt.Errorf("LANTOA_DATA=%q is not usable: %w", o.DataDir, err)
	}
	lc := ferretdb.ListenerConfig{TCP: o.Listen}
	sock := filepath.Join(dir, "ferretdb.sock")
	if o.Listen == "" {
		if len(sock) <= maxSocketPath {
			_ = os.Remove(sock) // a stale socket from a crash blocks listening
			lc.Unix = sock
		} else {
			lc.TCP = "127.0.0.1:0"
		}
	}
	quiet := o.Logger.Handler()
	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  lc,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL(dir, o.Throwaway),
		Logger:    slog.New(levelFloor{quiet, slog.LevelWarn}),
	})
	if err != nil {
		return nil, fmt.Errorf("starting the embedded store in %s: %w", dir, err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	e := &Engine{fdb: fdb, cancel: cancel, done: make(chan struct{}), idxed: make(chan struct{}), dir: dir, log: o.Logger}
	go func() {
		defer close(e.done)
		_ = fdb.Run(runCtx)
	}()
	go func() {
		defer close(e.idxed)
		e.indexIDsLoop(runCtx)
	}()
	if lc.Unix != "" {
		e.Socket = sock
		e.uri = "mongodb://" + url.PathEscape(sock) + "/"
		_ = os.Chmod(sock, 0o600)
	} else {
		e.uri = fdb.MongoDBURI()
	}
	o.Logger.Info("embedded store started", "dir", dir, "uri", e.uri)
	return e, nil
}

// TCPAddr is the engine's loopback address when it listens on TCP.
func (e *Engine) TCPAddr() string {
	u, err := url.Parse(e.uri)
	if err != nil {
		return ""
	}
	return u.Host
}

// URI is the driver connection string for this engine.
func (e *Engine) URI() string { return e.uri }

// Stop shuts the engine down and waits for it (at most five seconds).
func (e *Engine) Stop() {
	e.cancel()
	limit := time.After(5 * time.Second)
	for _, ch := range []chan struct{}{e.idxed, e.done} {
		select {
		case <-ch:
		case <-limit:
		}
	}
}

func ensureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return err
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(name)
}

// levelFloor drops records below a level: FerretDB logs every connection and
// command at info level, which would drown the service's own logs.
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// Handle drops the engine's dumps of a failed command's wire messages: the
// driver already returns that error to the code that sent the command,
// which logs it in words, and the one every shutdown causes (the driver's
// endSessions, which the engine does not know) would print a page of
// protocol at each Ctrl-C.
func (h levelFloor) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "Response header:") || strings.HasPrefix(r.Message, "Response message:") {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(a), h.min}
}

func (h levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(n), h.min}
}

// redactURI hides the password in a MongoDB URI before it is shown.
func redactURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if err != nil {
			return "(unparseable URI)"
		}
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
