package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// TestTakeLockSerialisesReadThenReplace: writers that each read a
// document and replace it by _id under the lock lose no update, and a lock
// left by a writer that died is taken over after its lease.
func TestTakeLockSerialisesReadThenReplace(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	c := db.Collection("counters")
	if _, err := c.InsertOne(ctx, bson.M{"_id": "n", "v": 0}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for range 15 {
				release, err := store.TakeLock(ctx, db, "counter|n", time.Now)
				if err != nil {
					t.Error(err)
					return
				}
				var d struct {
					V int `bson:"v"`
				}
				if err := c.FindOne(ctx, bson.M{"_id": "n"}).Decode(&d); err != nil {
					t.Error(err)
				}
				if _, err := c.ReplaceOne(ctx, bson.M{"_id": "n"}, bson.M{"v": d.V + 1}); err != nil {
					t.Error(err)
				}
				release()
			}
		})
	}
	wg.Wait()
	var d struct {
		V int `bson:"v"`
	}
	if err := c.FindOne(ctx, bson.M{"_id": "n"}).Decode(&d); err != nil || d.V != 90 {
		t.Fatalf("counter %d (%v), want 90", d.V, err)
	}

	// A holder that died: its lock is taken over once its lease has passed.
	if _, err := db.Collection("locks").InsertOne(ctx, bson.M{"_id": "dead", "owner": "x", "until": time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	release, err := store.TakeLock(ctx, db, "dead", time.Now)
	if err != nil {
		t.Fatalf("a dead holder's lock was not taken over: %v", err)
	}
	release()
	if n, _ := db.Collection("locks").CountDocuments(ctx, bson.M{}); n != 0 {
		t.Errorf("%d locks left after release", n)
	}
}
