// Package storetest gives each test its own database. One embedded store is
// started per test binary (or MONGODB_URI is used when set), and each call to
// DB returns a fresh database on it that is dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/store"
)

var (
	once     sync.Once
	client   *mongo.Client
	uri      string
	embedded bool
	startErr error
)

// URI returns the connection string of the test binary's shared store and
// whether it is the embedded engine, starting the engine on first use.
func URI(t testing.TB) (string, bool) {
	t.Helper()
	start()
	if startErr != nil {
		t.Fatalf("storetest: %v", startErr)
	}
	return uri, embedded
}

// DB returns a new, empty database on the test binary's shared store, dropped
// when the test and its subtests finish.
func DB(t testing.TB) *mongo.Database {
	t.Helper()
	start()
	if startErr != nil {
		t.Fatalf("storetest: %v", startErr)
	}
	db := client.Database(Name(t))
	t.Cleanup(func() { _ = db.Drop(context.Background()) })
	return db
}

// Name returns a database name unique to this test run.
func Name(t testing.TB) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	n := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, t.Name())
	if len(n) > 40 {
		n = n[len(n)-40:]
	}
	return "t_" + n + "_" + hex.EncodeToString(b)
}

func start() {
	once.Do(func() {
		uri = os.Getenv("MONGODB_URI")
		if uri == "" {
			dir, err := os.MkdirTemp("", "lantoa-storetest-")
			if err != nil {
				startErr = err
				return
			}
			eng, err := store.StartEngine(context.Background(), store.EngineOptions{DataDir: dir, Throwaway: true})
			if err != nil {
				startErr = err
				return
			}
			uri, embedded = eng.URI(), true
		}
		client, startErr = store.Connect(context.Background(), uri, embedded)
	})
}
