package stamps_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store/storetest"
)

func TestStampsAcrossReplicas(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	a, b := stamps.New(db, slog.New(slog.DiscardHandler)), stamps.NewMaxAge(db, 200*time.Millisecond, slog.New(slog.DiscardHandler))
	key := stamps.Rundowns("lien-minh")

	version := func(s *stamps.Stamps) int64 {
		t.Helper()
		v, err := s.Version(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := version(a); v != 0 {
		t.Fatalf("a stamp never bumped is %d, want 0", v)
	}
	if v := version(b); v != 0 {
		t.Fatalf("b: %d", v)
	}
	a.Bump(ctx, key)
	if v := version(a); v != 1 {
		t.Fatalf("after a local bump: %d, want 1 at once", v)
	}
	if v := version(b); v != 0 {
		t.Fatalf("the other replica re-read before its max age: %d", v)
	}
	deadline := time.Now().Add(2 * time.Second)
	for version(b) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the other replica never saw the bump")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Concurrent bumps are all counted (one connection, or MongoDB).
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { b.Bump(ctx, key) })
	}
	wg.Wait()
	if v := version(b); v != 21 {
		t.Fatalf("after 20 more bumps: %d, want 21", v)
	}

	var none *stamps.Stamps
	none.Bump(ctx, key)
	if v, err := none.Version(ctx, key); v != 0 || err != nil {
		t.Fatalf("nil stamps: %d %v", v, err)
	}
}
