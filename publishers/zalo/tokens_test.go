package zalo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
	"github.com/lantoa/lantoa/store/storetest"
)

func TestMongoTokenStoreSeedLeaseAndSave(t *testing.T) {
	t.Parallel()
	clk := publishertest.NewClock()
	db := storetest.DB(t)
	s := zalo.NewMongoTokenStore(db, "lien-minh", clk.Now)
	ctx := t.Context()

	if _, err := s.Load(ctx); !errors.Is(err, zalo.ErrNoTokens) {
		t.Fatalf("empty store: %v, want ErrNoTokens", err)
	}
	for range 2 {
		if err := s.Seed(ctx, "rt-initial"); err != nil {
			t.Fatal(err)
		}
	}
	if tok, _ := s.Load(ctx); tok.Version != 1 || tok.RefreshToken != "rt-initial" || tok.AccessToken != "" {
		t.Fatalf("after seeding twice: %+v", tok)
	}

	if ok, _ := s.AcquireLease(ctx, "a", time.Minute); !ok {
		t.Fatal("a did not get a free lease")
	}
	if ok, _ := s.AcquireLease(ctx, "b", time.Minute); ok {
		t.Fatal("b took a's lease")
	}
	if ok, _ := s.AcquireLease(ctx, "a", time.Minute); !ok {
		t.Fatal("a could not renew its own lease")
	}
	clk.Advance(2 * time.Minute)
	if ok, _ := s.AcquireLease(ctx, "b", time.Minute); !ok {
		t.Fatal("b did not get an expired lease")
	}
	if err := s.ReleaseLease(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.AcquireLease(ctx, "a", time.Minute); !ok {
		t.Fatal("a did not get a released lease")
	}

	next := zalo.Tokens{AccessToken: "at-2", RefreshToken: "rt-2", ExpiresAt: clk.Now().Add(time.Hour), Version: 2}
	if err := s.Save(ctx, 5, next); !errors.Is(err, zalo.ErrStaleVersion) {
		t.Errorf("save from a wrong version: %v, want ErrStaleVersion", err)
	}
	if err := s.Save(ctx, 1, next); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, "rt-initial"); err != nil { // a restart with the same configuration
		t.Fatal(err)
	}
	if tok, _ := s.Load(ctx); tok.Version != 2 || tok.RefreshToken != "rt-2" || tok.AccessToken != "at-2" {
		t.Errorf("a restart overwrote the rotated chain: %+v", tok)
	}
	if err := s.Seed(ctx, "rt-reconnected"); err != nil { // an admin reconnected the OA
		t.Fatal(err)
	}
	if tok, _ := s.Load(ctx); tok.Version != 3 || tok.RefreshToken != "rt-reconnected" || tok.AccessToken != "" {
		t.Errorf("after a new seed: %+v", tok)
	}
}

func TestMongoTokenStoreLeaseHasOneWinner(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	s := zalo.NewMongoTokenStore(db, "lien-minh", time.Now)
	if err := s.Seed(t.Context(), "rt"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	winners := 0
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			ok, err := s.AcquireLease(t.Context(), fmt.Sprint("replica-", i), time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				winners++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if winners != 1 {
		t.Errorf("lease winners = %d, want 1", winners)
	}
}

// TestTwoReplicasRefreshOnce: two clients sharing one token store on one
// database, both needing a token at once, cost one refresh; both then work.
// After the access token expires, both renew with one more refresh.
func TestTwoReplicasRefreshOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	db := storetest.DB(t)
	replicas := make([]*zalo.Client, 2)
	for i := range replicas {
		cfg := b.config(t)
		cfg.Tokens = zalo.NewMongoTokenStore(db, "lien-minh", b.clock.Now)
		cfg.Owner = fmt.Sprint("replica-", i)
		cfg.LeasePoll = 5 * time.Millisecond
		cfg.Sleep = realSleep
		replicas[i] = zalo.New(cfg)
	}

	run := func(round string) {
		var wg sync.WaitGroup
		for i, c := range replicas {
			for j := range 3 {
				wg.Go(func() {
					if _, err := c.Stats(t.Context(), []string{"art-none"}); err != nil {
						t.Errorf("%s replica %d call %d: %v", round, i, j, err)
					}
				})
			}
		}
		wg.Wait()
	}
	run("start")
	if n := b.fake.RefreshCalls(); n != 1 {
		t.Fatalf("refresh calls at start = %d, want 1", n)
	}
	b.fake.FailNext(zalotest.ExpiredToken)
	run("expired")
	if n := b.fake.RefreshCalls(); n != 2 {
		t.Errorf("refresh calls after expiry = %d, want 2", n)
	}
	stored, _ := zalo.NewMongoTokenStore(db, "lien-minh", b.clock.Now).Load(t.Context())
	if stored.RefreshToken != b.fake.InitialRefreshToken() {
		t.Error("the store does not hold the fake's current refresh token")
	}
}

func realSleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// TestRotatedTokenIsStoredBeforeUse: the new pair is in the store before
// the first API call that uses the new access token.
func TestRotatedTokenIsStoredBeforeUse(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []string
	note := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	b := setup(t, func(c *zalo.Config) {
		c.Tokens = recordingStore{TokenStore: c.Tokens, note: note}
		c.HTTP = &http.Client{Transport: recordingTransport{note: note}}
	})

	if _, err := b.client.Publish(t.Context(), b.delivery(), post(t, "Tin", "x")); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"/v4/oa/access_token", "save", "/v2.0/article/create"}
	if len(events) < 3 || fmt.Sprint(events[:3]) != fmt.Sprint(want) {
		t.Errorf("events = %v, want %v first", events, want)
	}
}

type recordingStore struct {
	zalo.TokenStore
	note func(string)
}

func (r recordingStore) Save(ctx context.Context, prev int64, t zalo.Tokens) error {
	r.note("save")
	return r.TokenStore.Save(ctx, prev, t)
}

type recordingTransport struct{ note func(string) }

func (r recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.note(req.URL.Path)
	return http.DefaultTransport.RoundTrip(req)
}
