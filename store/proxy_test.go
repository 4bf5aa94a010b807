package store_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

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
// server (and with it every connection in use).
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
	// A short heartbeat and connect timeout make a slow write outlast them.
	client, err := store.Connect(ctx, "mongodb://"+p.Addr().String()+"/?heartbeatFrequencyMS=500&connectTimeoutMS=300", false)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	c := client.Database("long").Collection("docs")
	var docs []any
	for i := range 1500 {
		docs = append(docs, bson.M{"_id": i, "n": 0, "text": strings.Repeat("bạo lực ", 20)})
	}
	if _, err := c.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.UpdateMany(ctx, bson.M{}, bson.M{"$inc": bson.M{"n": 1}}); err != nil {
		t.Fatalf("a long update through the proxy: %v", err)
	}
	if time.Since(start) < 300*time.Millisecond {
		t.Skip("the update was too quick to outlast a heartbeat on this machine")
	}
}
