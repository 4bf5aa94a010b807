package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
			"audiences": bson.A{"women", "youth"}, "created_at": now, "budget": 1.5, "flag": true, "none": nil, "status": "approved"},
		bson.M{"_id": "x", "n": int32(7), "oid": bson.NewObjectID(), "status": "draft"},
	}); err != nil {
		t.Fatal(err)
	}
	bucket := src.GridFSBucket()
	photo := bytes.Repeat([]byte{0xff, 0xd8, 0x01, 0x02}, 100_000)
	if _, err := bucket.UploadFromStream(ctx, "anh.jpg", bytes.NewReader(photo)); err != nil {
		t.Fatal(err)
	}

	var archive bytes.Buffer
	m1, err := store.Export(ctx, src, &archive, store.ExportOptions{Now: now, TempDir: t.TempDir()})
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
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), store.ImportOptions{Schema: testSchema}); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	m2, err := store.Export(ctx, dst, &again, store.ExportOptions{Now: now, TempDir: t.TempDir()})
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
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), store.ImportOptions{Schema: testSchema}); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("import into a non-empty database: %v", err)
	}
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), store.ImportOptions{Merge: true, Schema: testSchema}); err != nil {
		t.Fatalf("merge: %v", err)
	}
	if n, _ := dst.Collection("campaigns").CountDocuments(ctx, bson.M{}); n != 2 {
		t.Fatalf("after a merge of the same archive: %d campaigns", n)
	}
	// A damaged archive is refused before anything is written.
	damaged := bytes.Clone(archive.Bytes())
	damaged[len(damaged)/2] ^= 0xff
	other := client.Database("other")
	if _, err := store.Import(ctx, other, bytes.NewReader(damaged), store.ImportOptions{Schema: testSchema}); err == nil {
		t.Fatal("a damaged archive was imported")
	}
	if names, _ := other.ListCollectionNames(ctx, bson.M{}); len(names) != 0 {
		t.Fatalf("a refused archive left collections %v", names)
	}
	// The manifest records each file's size, and the archive verifies alone.
	for _, c := range m1.Collections {
		if c.Bytes <= 0 {
			t.Errorf("%s: no size in the manifest", c.File)
		}
	}
	if _, err := store.Verify(bytes.NewReader(archive.Bytes()), testSchema, store.DefaultArchiveLimits); err != nil {
		t.Fatal(err)
	}
}

// TestExportOfLargeDocuments: the embedded store does not cap a reply's
// batch at 16 MiB, and its default batch of 250 documents of 200 KB (GridFS
// chunks are 255 KiB) overflowed the 48 MB a reply may hold, so backups
// failed once a commune had about 50 MB of photos. Both orders export.
func TestExportOfLargeDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and exports 75 MB")
	}
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	blob := bytes.Repeat([]byte("ảnh "), 50_000) // 250 KB
	for b := range 6 {
		var docs []any
		for i := range 50 {
			docs = append(docs, bson.M{"_id": fmt.Sprintf("c%03d", b*50+i), "data": blob})
		}
		if _, err := db.Collection("x").InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}
	for _, natural := range []bool{true, false} {
		var buf bytes.Buffer
		m, err := store.Export(ctx, db, &buf, store.ExportOptions{TempDir: t.TempDir(), NaturalOrder: natural})
		if err != nil {
			t.Fatalf("natural order %v: %v", natural, err)
		}
		if len(m.Collections) != 1 || m.Collections[0].Documents != 300 {
			t.Fatalf("natural order %v: %+v", natural, m.Collections)
		}
		if _, err := store.Verify(&buf, testSchema, store.DefaultArchiveLimits); err != nil {
			t.Fatal(err)
		}
	}
}
