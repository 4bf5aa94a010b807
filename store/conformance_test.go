package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// TestConformance proves the atomicity the project relies on (DESIGN §2):
// concurrent $inc is exact, a contested conditional update has one winner and
// a contested unique insert has one winner. On the embedded store it holds
// only because the store is used through one connection; RunConformance is
// also run through `lantoa db` by the dispatcher's tests.
func TestConformance(t *testing.T) {
	t.Parallel()
	RunConformance(t, storetest.DB(t))
}

// RunConformance runs the three checks against db.
func RunConformance(t *testing.T, db *mongo.Database) {
	ctx := context.Background()
	const writers, perWriter = 8, 250

	t.Run("concurrent inc is exact", func(t *testing.T) {
		c := db.Collection("counters")
		if _, err := c.InsertOne(ctx, bson.M{"_id": "n", "v": 0}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range writers {
			wg.Go(func() {
				for range perWriter {
					if _, err := c.UpdateOne(ctx, bson.M{"_id": "n"}, bson.M{"$inc": bson.M{"v": 1}}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		var got struct{ V int }
		if err := c.FindOne(ctx, bson.M{"_id": "n"}).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.V != writers*perWriter {
			t.Fatalf("after %d concurrent $inc the counter is %d", writers*perWriter, got.V)
		}
	})

	t.Run("contested conditional update has one winner", func(t *testing.T) {
		c := db.Collection("claims")
		const docs = 100
		var seed []any
		for i := range docs {
			seed = append(seed, bson.M{"_id": fmt.Sprint(i), "state": "queued"})
		}
		if _, err := c.InsertMany(ctx, seed); err != nil {
			t.Fatal(err)
		}
		wins := make([]atomic.Int32, docs)
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range docs {
					res := c.FindOneAndUpdate(ctx,
						bson.M{"_id": fmt.Sprint(i), "state": "queued"},
						bson.M{"$set": bson.M{"state": "sending", "owner": w}},
						options.FindOneAndUpdate().SetReturnDocument(options.After))
					if res.Err() == nil {
						wins[i].Add(1)
					} else if !store.IsNoDocuments(res.Err()) {
						t.Error(res.Err())
					}
				}
			})
		}
		wg.Wait()
		for i := range wins {
			if n := wins[i].Load(); n != 1 {
				t.Fatalf("document %d was claimed %d times", i, n)
			}
		}
	})

	t.Run("contested unique insert has one winner", func(t *testing.T) {
		c := db.Collection("inserts")
		const keys = 100
		wins := make([]atomic.Int32, keys)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for i := range keys {
					_, err := c.InsertOne(ctx, bson.M{"_id": fmt.Sprint("k", i)})
					switch {
					case err == nil:
						wins[i].Add(1)
					case !store.IsDuplicateKey(err):
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		for i := range wins {
			if n := wins[i].Load(); n != 1 {
				t.Fatalf("key %d inserted %d times", i, n)
			}
		}
	})
}
