package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

// TestIndexIDsServesLookupsByID checks that every collection gets an index
// SQLite uses for the query the engine sends for a filter on _id alone, and
// that reads, updates and the unique _id rule still behave with it.
func TestIndexIDsServesLookupsByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, store.Options{DataDir: dir, Database: "ids"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	things := st.DB.Collection("things")
	var docs []any
	for i := range 300 {
		docs = append(docs, bson.M{"_id": fmt.Sprintf("t-%03d", i), "village": "Thôn Đông", "n": i})
	}
	if _, err := things.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := st.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}
	// A collection created later is indexed by the next call (the engine also
	// runs it every few seconds by itself).
	if _, err := st.DB.Collection("later").InsertOne(ctx, bson.M{"_id": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := st.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}

	lite, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "db", "ids.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	for _, coll := range []string{"things", "later"} {
		var table string
		if err := lite.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
			t.Fatalf("%s: %v", coll, err)
		}
		// The statement FerretDB v1 prepares for {_id: v} (backends/sqlite).
		rows, err := lite.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "USING INDEX "+table+"_lantoa_id") {
			t.Errorf("%s: the lookup by _id does not use the index: %s", coll, p)
		}
	}

	var got struct{ N int }
	if err := things.FindOne(ctx, bson.M{"_id": "t-150"}).Decode(&got); err != nil || got.N != 150 {
		t.Fatalf("find by _id: %+v, %v", got, err)
	}
	if r, err := things.UpdateOne(ctx, bson.M{"_id": "t-150"}, bson.M{"$inc": bson.M{"n": 1}}); err != nil || r.ModifiedCount != 1 {
		t.Fatalf("update by _id: %+v, %v", r, err)
	}
	if err := things.FindOne(ctx, bson.M{"_id": "t-150"}).Decode(&got); err != nil || got.N != 151 {
		t.Fatalf("after the update: %+v, %v", got, err)
	}
	if _, err := things.InsertOne(ctx, bson.M{"_id": "t-007"}); !store.IsDuplicateKey(err) {
		t.Fatalf("a second t-007 was not refused as a duplicate: %v", err)
	}
	if n, err := things.CountDocuments(ctx, bson.M{}); err != nil || n != 300 {
		t.Fatalf("count %d, %v; want 300", n, err)
	}
	// Dropping a collection drops its index with it; recreating works.
	if err := things.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := things.InsertOne(ctx, bson.M{"_id": "t-001"}); err != nil {
		t.Fatal(err)
	}
	if err := st.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}
	if err := things.FindOne(ctx, bson.M{"_id": "t-001"}).Err(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkFindAndUpdateByID is a read and an update by _id in a collection
// of 5,000 documents, the shape of every delivery claim and settle.
func BenchmarkFindAndUpdateByID(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DataDir: b.TempDir(), Database: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close(ctx)
	c := st.DB.Collection("deliveries")
	var docs []any
	for i := range 5000 {
		docs = append(docs, bson.M{"_id": fmt.Sprintf("d-%05d", i), "state": "queued", "channel": "facebook", "n": i})
	}
	if _, err := c.InsertMany(ctx, docs); err != nil {
		b.Fatal(err)
	}
	if err := st.IndexIDs(ctx); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("d-%05d", (i*37)%5000)
		if err := c.FindOne(ctx, bson.M{"_id": id}).Err(); err != nil {
			b.Fatal(err)
		}
		if _, err := c.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$inc": bson.M{"n": 1}}); err != nil {
			b.Fatal(err)
		}
	}
}
