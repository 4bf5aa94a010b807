package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/store"
)

// TestConformanceThroughProxy runs the atomicity checks through `lantoa db`:
// the driver opens many connections (no single-connection rule here), and
// the proxy's one-exchange-at-a-time lock must keep every command atomic.
func TestConformanceThroughProxy(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng, err := store.StartEngine(ctx, store.EngineOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	p, err := store.NewProxy("127.0.0.1:0", false, eng, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Serve(ctx) }()

	client, err := store.Connect(ctx, "mongodb://"+p.Addr().String()+"/", false)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	RunConformance(t, client.Database("proxied"))

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestProxyRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	eng, err := store.StartEngine(context.Background(), store.EngineOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	if _, err := store.NewProxy("0.0.0.0:0", false, eng, slog.New(slog.DiscardHandler)); !errors.Is(err, store.ErrNotLoopback) {
		t.Fatalf("listening on every interface: %v", err)
	}
}

// TestProxyHeartbeatDuringLongWrite: a write that holds the lock longer
// than the driver's heartbeat timeout must not make the driver drop the
// server (and with it every connection in use). The test holds the
// proxy's exchange lock itself, so the write outlasts several heartbeats
// on any machine, and checks that they overlapped: heartbeats succeed
// while the update waits behind the lock, none fails, the connection pool
// is never cleared, and the update then goes through.
func TestProxyHeartbeatDuringLongWrite(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng, err := store.StartEngine(ctx, store.EngineOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	p, err := store.NewProxy("127.0.0.1:0", false, eng, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	go p.Serve(ctx)
	w := newHeartbeatWatch()
	// A short heartbeat and connect timeout (the heartbeat's own timeout):
	// a heartbeat stuck behind the lock would fail within 300 ms.
	opts := store.ClientOptions("mongodb://"+p.Addr().String()+"/?heartbeatFrequencyMS=500&connectTimeoutMS=300", false).
		SetServerMonitor(w.serverMonitor()).SetPoolMonitor(w.poolMonitor())
	client, err := mongo.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	c := client.Database("long").Collection("docs")
	var docs []any
	for i := range 50 {
		docs = append(docs, bson.M{"_id": i, "n": 0, "text": strings.Repeat("bạo lực ", 20)})
	}
	if _, err := c.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}

	release := p.HoldExchanges() // a write in progress, as long as the test wants
	w.hold(true)
	done := make(chan error, 1)
	go func() {
		_, err := c.UpdateMany(ctx, bson.M{}, bson.M{"$inc": bson.M{"n": 1}})
		done <- err
	}()
	const beats = 3 // 1.5 s at 500 ms: five heartbeat timeouts
	if err := w.waitBeats(beats); err != nil {
		release()
		t.Fatalf("while a write holds the lock: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("the update finished (%v) while the lock was held: nothing overlapped", err)
	default:
	}
	w.hold(false)
	release()
	if err := <-done; err != nil {
		t.Fatalf("a long update through the proxy: %v", err)
	}
	if n, err := c.CountDocuments(ctx, bson.M{"n": 1}); err != nil || n != 50 {
		t.Errorf("documents updated: %d, %v; want 50", n, err)
	}
	if failed, cleared := w.troubles(); failed != 0 || cleared != 0 {
		t.Errorf("%d heartbeats failed and the pool was cleared %d times; want none", failed, cleared)
	}
}

// heartbeatWatch counts what the driver's monitors report.
type heartbeatWatch struct {
	mu       sync.Mutex
	held     bool
	beats    chan struct{} // one per heartbeat that succeeds while held
	failures chan error
	failed   int
	cleared  int
}

func newHeartbeatWatch() *heartbeatWatch {
	return &heartbeatWatch{beats: make(chan struct{}, 100), failures: make(chan error, 100)}
}

func (w *heartbeatWatch) hold(held bool) {
	w.mu.Lock()
	w.held = held
	w.mu.Unlock()
}

func (w *heartbeatWatch) serverMonitor() *event.ServerMonitor {
	return &event.ServerMonitor{
		ServerHeartbeatSucceeded: func(*event.ServerHeartbeatSucceededEvent) {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.held {
				select {
				case w.beats <- struct{}{}:
				default: // enough are counted
				}
			}
		},
		ServerHeartbeatFailed: func(e *event.ServerHeartbeatFailedEvent) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.failed++
			select {
			case w.failures <- e.Failure:
			default:
			}
		},
	}
}

func (w *heartbeatWatch) poolMonitor() *event.PoolMonitor {
	return &event.PoolMonitor{Event: func(e *event.PoolEvent) {
		if e.Type == event.ConnectionPoolCleared {
			w.mu.Lock()
			w.cleared++
			w.mu.Unlock()
		}
	}}
}

// waitBeats waits for n heartbeats to succeed, or for one to fail.
func (w *heartbeatWatch) waitBeats(n int) error {
	deadline := time.After(30 * time.Second)
	for range n {
		select {
		case <-w.beats:
		case err := <-w.failures:
			return fmt.Errorf("a heartbeat failed: %w", err)
		case <-deadline:
			return errors.New("no heartbeat succeeded within 30 s")
		}
	}
	return nil
}

func (w *heartbeatWatch) troubles() (failed, cleared int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed, w.cleared
}
