package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

// openData opens the embedded store of a data folder.
func openData(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{DataDir: dir, Database: "lantoa", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestExportCheckImportCommands runs `lantoa export`, `import --check` and
// `import` on real data folders: the archive of a database verifies
// against every domain's declarations and restores; an archive holding a
// collection no domain writes is refused with the target left empty; a
// document with an unknown role is refused.
func TestExportCheckImportCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dst, bad := t.TempDir(), t.TempDir(), t.TempDir()
	st := openData(t, src)
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	_, err := st.DB.Collection("communes").InsertOne(ctx, bson.M{"_id": "lien-minh", "name": "Xã Liên Minh", "created_at": now})
	if err == nil {
		_, err = st.DB.Collection("users").InsertOne(ctx, bson.M{"_id": "u1", "commune_id": "lien-minh", "username": "admin",
			"role": "admin", "station_ids": bson.A{}, "password_hash": []byte("$2a$10$x"), "created_at": now})
	}
	if err == nil {
		_, err = st.DB.Collection("stamps").InsertOne(ctx, bson.M{"_id": "campaigns|lien-minh", "v": int64(3), "at": now})
	}
	if err != nil {
		t.Fatal(err)
	}
	st.Close(ctx)
	archive := filepath.Join(t.TempDir(), "lantoa.tar.gz")
	var out, errb bytes.Buffer
	if err := run([]string{"export", "--out", archive, "--data", src}, &out, &errb); err != nil {
		t.Fatalf("export: %v %s", err, errb.String())
	}
	if err := run([]string{"import", "--check", "--in", archive}, &out, &errb); err != nil || !strings.Contains(out.String(), "is sound") {
		t.Fatalf("import --check: %v %s", err, out.String())
	}
	if err := run([]string{"import", "--in", archive, "--data", dst}, &out, &errb); err != nil {
		t.Fatalf("import: %v", err)
	}
	st = openData(t, dst)
	if n, _ := st.DB.Collection("users").CountDocuments(ctx, bson.M{}); n != 1 {
		t.Fatalf("%d users restored", n)
	}
	// Stamps move past the archive's, and past what a merge found there: a
	// replica serving the database reads its cached campaigns again.
	stamp := func() int64 {
		var d struct{ V int64 }
		if err := st.DB.Collection("stamps").FindOne(ctx, bson.M{"_id": "campaigns|lien-minh"}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return d.V
	}
	if v := stamp(); v != 4 {
		t.Fatalf("stamp after import: %d, want 4", v)
	}
	st.Close(ctx)
	if err := run([]string{"import", "--merge", "--in", archive, "--data", dst}, &out, &errb); err != nil {
		t.Fatalf("import --merge: %v", err)
	}
	st = openData(t, dst)
	if v := stamp(); v != 5 {
		t.Fatalf("stamp after a merge: %d, want 5", v)
	}
	st.Close(ctx)

	// Refused archives: nothing written.
	for name, data := range map[string][]byte{
		`collection "secrets"`:                        rewrite(t, archive, "communes", "secrets", ""),
		`role "root" is not one of admin, editor, ma`: rewrite(t, archive, "users", "users", `"role":"admin"|"role":"root"`),
	} {
		path := filepath.Join(t.TempDir(), "bad.tar.gz")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		err := run([]string{"import", "--check", "--in", path}, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("import --check of %s: %v", name, err)
		}
		err = run([]string{"import", "--in", path, "--data", bad}, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("import of %s: %v", name, err)
		}
	}
	st = openData(t, bad)
	defer st.Close(ctx)
	if names, _ := st.DB.ListCollectionNames(ctx, bson.M{}); len(names) != 0 {
		t.Fatalf("refused archives left %v", names)
	}
}

// rewrite copies an archive, renaming collection from to to (in the
// manifest and the entry name) and replacing old|new in that entry, with
// the manifest's checksum and size fixed, so only the change is wrong.
func rewrite(t *testing.T, path, from, to, change string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	type file struct {
		name string
		data []byte
	}
	var files []file
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		b.ReadFrom(tr)
		files = append(files, file{h.Name, b.Bytes()})
	}
	var m store.Manifest
	if err := json.Unmarshal(files[0].data, &m); err != nil {
		t.Fatal(err)
	}
	for i := range files[1:] {
		fl := &files[i+1]
		if fl.name != from+".jsonl" {
			continue
		}
		if old, nw, ok := strings.Cut(change, "|"); ok {
			fl.data = bytes.ReplaceAll(fl.data, []byte(old), []byte(nw))
		}
		fl.name = to + ".jsonl"
		for j := range m.Collections {
			if m.Collections[j].Name == from {
				m.Collections[j].Name, m.Collections[j].File = to, to+".jsonl"
				sum := sha256.Sum256(fl.data)
				m.Collections[j].SHA256, m.Collections[j].Bytes = hex.EncodeToString(sum[:]), int64(len(fl.data))
			}
		}
	}
	files[0].data, _ = json.Marshal(m)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, fl := range files {
		tw.WriteHeader(&tar.Header{Name: fl.name, Mode: 0o600, Size: int64(len(fl.data))})
		tw.Write(fl.data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}
