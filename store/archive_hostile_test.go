package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// small limits make the size cases quick; the defaults are checked in
// TestDefaultArchiveLimits.
var small = store.ArchiveLimits{Manifest: 4 << 10, Collections: 10, Documents: 1000, Line: 1 << 10, Entry: 64 << 10, Total: 100 << 10}

// withLines replaces the lines of the collection called name.
func withLines(name string, lines ...string) []collection {
	out := goodCollections()
	for i := range out {
		if out[i].name == name {
			out[i].lines = lines
		}
	}
	return out
}

// hostileCase is an archive that must be refused, and what the refusal says.
type hostileCase struct {
	name, want string
	archive    func(t *testing.T) []byte
}

func hostileCases() []hostileCase {
	long := `{"_id":"c3","status":"draft","title":"` + strings.Repeat("a", 2<<10) + `"}`
	edited := func(edit func(m *store.Manifest, files *[]entry)) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return archiveOf(t, goodCollections(), edit) }
	}
	lines := func(name string, l ...string) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return archiveOf(t, withLines(name, l...), nil) }
	}
	return []hostileCase{
		{"not gzip", "gzip", func(*testing.T) []byte { return []byte("PK\x03\x04 a zip file") }},
		{"manifest not first", "does not begin with its", func(t *testing.T) []byte {
			return tgz(t, entry{name: "x.jsonl", data: "{}\n"})
		}},
		{"manifest too big", "manifest.json is", func(t *testing.T) []byte {
			return tgz(t, entry{name: "manifest.json", data: strings.Repeat(" ", 8<<10)})
		}},
		{"unknown manifest field", "manifest", func(t *testing.T) []byte {
			return tgz(t, entry{name: "manifest.json", data: `{"format":"lantoa-archive/1","collections":[],"run":"rm -rf /"}`})
		}},
		{"two manifests in one", "more than the manifest", func(t *testing.T) []byte {
			m := `{"format":"lantoa-archive/1","collections":[]}`
			return tgz(t, entry{name: "manifest.json", data: m + m})
		}},
		{"unknown collection", `collection "secrets"`, func(t *testing.T) []byte {
			return archiveOf(t, append(goodCollections(), collection{"secrets", []string{`{"_id":1}`}}), nil)
		}},
		{"entry not in the manifest", `"evil.jsonl", which its manifest does not name`, edited(func(_ *store.Manifest, files *[]entry) {
			*files = append(*files, entry{name: "evil.jsonl", data: "{}\n"})
		})},
		{"path in an entry name", "which its manifest does not name", edited(func(_ *store.Manifest, files *[]entry) {
			(*files)[0].name = "../campaigns.jsonl"
		})},
		{"symlink entry", "which its manifest does not name", edited(func(_ *store.Manifest, files *[]entry) {
			(*files)[0] = entry{name: "campaigns.jsonl", typeflag: '2'}
		})},
		{"entry twice", "twice", edited(func(_ *store.Manifest, files *[]entry) { *files = append(*files, (*files)[0]) })},
		{"file missing", "lacks campaigns.jsonl", edited(func(_ *store.Manifest, files *[]entry) { *files = (*files)[1:] })},
		{"file name not the collection's", "not campaigns.jsonl", edited(func(m *store.Manifest, _ *[]entry) {
			m.Collections[0].File = "x.jsonl"
		})},
		{"checksum", "checksum mismatch", edited(func(m *store.Manifest, _ *[]entry) {
			m.Collections[0].SHA256 = strings.Repeat("0", 64)
		})},
		{"fewer documents than declared", "the manifest says 3", edited(func(m *store.Manifest, _ *[]entry) { m.Collections[0].Documents = 3 })},
		{"more documents than declared", "more than the 1 documents", edited(func(m *store.Manifest, _ *[]entry) { m.Collections[0].Documents = 1 })},
		{"size differs from the manifest", "bytes (the manifest says", edited(func(m *store.Manifest, _ *[]entry) { m.Collections[0].Bytes++ })},
		{"wrong type", "does not decode", lines("campaigns", `{"_id":"c1","status":{"$numberInt":"3"}}`)},
		{"unknown enum value", `status "hacked" is not one of draft, approved`, lines("campaigns", `{"_id":"c1","status":"hacked"}`)},
		{"no _id", "has no _id", lines("x", `{"n":{"$numberInt":"1"}}`)},
		{"array _id", "_id of type array", lines("x", `{"_id":[1,2]}`)},
		{"field twice", `the field "_id" twice`, lines("x", `{"_id":"a","_id":"b"}`)},
		{"two documents on a line", "not one JSON object", lines("x", `{"_id":"a"} {"_id":"b"}`)},
		{"not Extended JSON", "not Extended JSON", lines("x", `{"_id":{"$numberLong":"x"}}`)},
		{"cut in a document", "ends in the middle", edited(func(m *store.Manifest, files *[]entry) {
			(*files)[2].data = strings.TrimSuffix((*files)[2].data, "\n")
			m.Collections[2].Bytes--
		})},
		{"document too long", "longer than 1024 bytes", lines("campaigns", long)},
		{"entry declared too big", "outside 0–65536", lines("campaigns", strings.Repeat(`{"_id":"c1","status":"draft"}`+"\n", 3000))},
		{"entry too big, size not declared", "at most 65536", func(t *testing.T) []byte {
			big := withLines("campaigns", strings.Repeat(`{"_id":"c1","status":"draft"}`+"\n", 3000))
			return archiveOf(t, big, func(m *store.Manifest, _ *[]entry) { m.Collections[0].Bytes = 0 }) // an archive of an older version
		}},
		{"too many documents declared", "outside 0–1000", edited(func(m *store.Manifest, _ *[]entry) { m.Collections[0].Documents = 1 << 40 })},
		{"too many bytes declared", "more than the 102400 allowed", edited(func(m *store.Manifest, _ *[]entry) {
			for i := range m.Collections {
				m.Collections[i].Bytes = 60 << 10
			}
		})},
		{"data after the end", "data after its end", func(t *testing.T) []byte {
			return gzipOf(t, append(gunzip(t, archiveOf(t, goodCollections(), nil)), "#!/bin/sh\nrm -rf /\n"...))
		}},
	}
}

// TestImportRefusesHostileArchives: every way an archive can lie or
// overreach is refused by the first pass, before anything is written, and
// the target database (holding data, imported with merge) is unchanged.
func TestImportRefusesHostileArchives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	if _, err := db.Collection("campaigns").InsertOne(ctx, bson.M{"_id": "keep", "status": "draft"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range hostileCases() {
		_, err := store.Import(ctx, db, bytes.NewReader(c.archive(t)), store.ImportOptions{Merge: true, Schema: testSchema, Limits: small})
		wantRefused(t, c.name, err, c.want)
		if err != nil && !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%s: %v does not say that nothing was written", c.name, err)
		}
	}
	names, _ := db.ListCollectionNames(ctx, bson.M{})
	n, _ := db.Collection("campaigns").CountDocuments(ctx, bson.M{})
	if len(names) != 1 || n != 1 {
		t.Fatalf("hostile archives changed the database: collections %v, %d campaigns", names, n)
	}
	// The archive every case starts from is good.
	if _, err := store.Verify(bytes.NewReader(archiveOf(t, goodCollections(), nil)), testSchema, small); err != nil {
		t.Fatalf("the good archive: %v", err)
	}
}

// TestImportUndoesAFailedWrite: an archive whose documents pass every check
// but cannot all be written (two share an _id) leaves an empty database
// as it was: the collections it created are dropped, one that existed
// (with its index) stays, empty.
func TestImportUndoesAFailedWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	if _, err := db.Collection("x").Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "n", Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	dup := append(goodCollections(), collection{"weeks_2027", []string{`{"_id":"w|1","d":{}}`, `{"_id":"w|2","d":{}}`, `{"_id":"w|1","d":{}}`}})
	_, err := store.Import(ctx, db, bytes.NewReader(archiveOf(t, dup, nil)), store.ImportOptions{Schema: testSchema})
	wantRefused(t, "duplicate _id", err, "two documents with the same _id")
	if err != nil && !strings.Contains(err.Error(), "the database is as it was") {
		t.Errorf("the error does not say the database was restored: %v", err)
	}
	names, _ := db.ListCollectionNames(ctx, bson.M{})
	if len(names) != 1 || names[0] != "x" {
		t.Fatalf("after the failed import: collections %v, want only x", names)
	}
	if n, _ := db.Collection("x").CountDocuments(ctx, bson.M{}); n != 0 {
		t.Fatalf("x keeps %d documents", n)
	}
	if specs, _ := db.Collection("x").Indexes().ListSpecifications(ctx); len(specs) != 2 {
		t.Fatalf("x lost its index: %v", specs)
	}
	// The same kind of failure in a merge keeps what was added, and says so.
	if _, err := db.Collection("campaigns").InsertOne(ctx, bson.M{"_id": "keep", "status": "draft"}); err != nil {
		t.Fatal(err)
	}
	changed := &changing{first: archiveOf(t, goodCollections(), nil), second: tampered(t)}
	_, err = store.Import(ctx, db, changed, store.ImportOptions{Merge: true, Schema: testSchema})
	wantRefused(t, "changed between the passes", err, "changed since it was verified")
	if err != nil && !strings.Contains(err.Error(), "run the same import with --merge again") {
		t.Errorf("a failed merge does not say what to do: %v", err)
	}
}

// TestImportRefusesAnArchiveReplacedBetweenPasses: without merge, an
// archive that changes after it was verified is caught while writing (a
// changed manifest before writing anything, changed contents by their
// checksum) and everything written is removed.
func TestImportRefusesAnArchiveReplacedBetweenPasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, second := range map[string][]byte{
		"another manifest": archiveOf(t, withLines("x", `{"_id":"other"}`), nil),
		"other contents":   tampered(t),
	} {
		db := storetest.DB(t)
		changed := &changing{first: archiveOf(t, goodCollections(), nil), second: second}
		_, err := store.Import(ctx, db, changed, store.ImportOptions{Schema: testSchema})
		wantRefused(t, name, err, "changed since it was verified")
		if changed.seeks != 1 {
			t.Fatalf("%s: %d rewinds", name, changed.seeks)
		}
		if names, _ := db.ListCollectionNames(ctx, bson.M{}); len(names) != 0 {
			t.Fatalf("%s: a replaced archive left collections %v", name, names)
		}
	}
}

// TestDefaultArchiveLimits: the stated bounds, and no import without a
// schema.
func TestDefaultArchiveLimits(t *testing.T) {
	t.Parallel()
	if l := store.DefaultArchiveLimits; l.Line != 24<<20 || l.Manifest != 1<<20 || l.Entry != 16<<30 || l.Total != 64<<30 || l.Collections != 1000 {
		t.Fatalf("limits %+v", l)
	}
	if _, err := store.Verify(bytes.NewReader(archiveOf(t, goodCollections(), nil)), nil, store.DefaultArchiveLimits); err == nil {
		t.Fatal("an import without a schema was allowed")
	}
}

// cancelOnRewind cancels the import's context as the second pass starts
// reading: an operator's Ctrl-C while it writes.
type cancelOnRewind struct {
	*bytes.Reader
	cancel  context.CancelFunc
	rewound bool
}

func (c *cancelOnRewind) Seek(off int64, whence int) (int64, error) {
	c.rewound = true
	return c.Reader.Seek(off, whence)
}

func (c *cancelOnRewind) Read(p []byte) (int, error) {
	if c.rewound {
		c.cancel()
	}
	return c.Reader.Read(p)
}

// TestImportInterruptedLeavesNothing: an import stopped while it writes
// removes what it wrote.
func TestImportInterruptedLeavesNothing(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := &cancelOnRewind{Reader: bytes.NewReader(archiveOf(t, goodCollections(), nil)), cancel: cancel}
	_, err := store.Import(ctx, db, r, store.ImportOptions{Schema: testSchema})
	wantRefused(t, "interrupted", err, "the database is as it was")
	if names, _ := db.ListCollectionNames(context.Background(), bson.M{}); len(names) != 0 {
		t.Fatalf("an interrupted import left %v", names)
	}
}
