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

// TestBumpAllMovesEveryStamp: lantoa import moves every stamp written so
// far, and the due stamp even when nothing wrote it yet (a database from
// before it), so that replicas remembering their last due scan look again.
func TestBumpAllMovesEveryStamp(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	s := stamps.NewMaxAge(db, 0, slog.New(slog.DiscardHandler))
	key := stamps.Items("lien-minh")
	s.Bump(ctx, key)
	for range 2 {
		if err := stamps.BumpAll(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range map[string]int64{key: 3, stamps.Due: 2, stamps.Campaigns("lien-minh"): 0} {
		if v, err := s.Version(ctx, k); err != nil || v != want {
			t.Errorf("%s: %d, %v; want %d", k, v, err, want)
		}
	}
}
