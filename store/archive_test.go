package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// TestExportImportRoundTrip moves a database with documents of every BSON
// type the project uses, and GridFS media, to a second embedded store, and
// checks that nothing was lost: the second store exports to the same
// manifest (same counts, same checksums).
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := storetest.DB(t)
	now := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	if _, err := src.Collection("campaigns").InsertMany(ctx, []any{
		bson.M{"_id": "lien-minh-gbv-month-2026", "title": "Tháng hành động vì bình đẳng giới", "targets": bson.M{"facebook": int64(2000)},
			"audiences": bson.A{"women", "youth"}, "created_at": now, "budget": 1.5, "flag": true, "none": nil},
		bson.M{"_id": "x", "n": int32(7), "oid": bson.NewObjectID()},
	}); err != nil {
		t.Fatal(err)
	}
	bucket := src.GridFSBucket()
	photo := bytes.Repeat([]byte{0xff, 0xd8, 0x01, 0x02}, 100_000)
	if _, err := bucket.UploadFromStream(ctx, "anh.jpg", bytes.NewReader(photo)); err != nil {
		t.Fatal(err)
	}

	var archive bytes.Buffer
	m1, err := store.Export(ctx, src, &archive, now)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := store.StartEngine(ctx, store.EngineOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	client, err := store.Connect(ctx, eng.URI(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	dst := client.Database(src.Name())
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), false); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	m2, err := store.Export(ctx, dst, &again, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(m1.Collections) != len(m2.Collections) || len(m1.Collections) < 3 {
		t.Fatalf("collections %v vs %v", m1.Collections, m2.Collections)
	}
	for i := range m1.Collections {
		if m1.Collections[i] != m2.Collections[i] {
			t.Errorf("%+v became %+v", m1.Collections[i], m2.Collections[i])
		}
	}
	var out bytes.Buffer
	if _, err := dst.GridFSBucket().DownloadToStreamByName(ctx, "anh.jpg", &out); err != nil || !bytes.Equal(out.Bytes(), photo) {
		t.Fatalf("the photo did not survive: %d bytes, %v", out.Len(), err)
	}

	// A second import into the now non-empty database is refused, a merge is not.
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), false); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("import into a non-empty database: %v", err)
	}
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), true); err != nil {
		t.Fatalf("merge: %v", err)
	}
	if n, _ := dst.Collection("campaigns").CountDocuments(ctx, bson.M{}); n != 2 {
		t.Fatalf("after a merge of the same archive: %d campaigns", n)
	}
	// A damaged archive is refused before anything is written.
	damaged := bytes.Clone(archive.Bytes())
	damaged[len(damaged)/2] ^= 0xff
	if _, err := store.Import(ctx, client.Database("other"), bytes.NewReader(damaged), false); err == nil {
		t.Fatal("a damaged archive was imported")
	}
}
