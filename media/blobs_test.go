package media

import (
	"bytes"
	"crypto/rand"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/lantoa/lantoa/store/storetest"
)

// TestBlobsAreGridFS stores a file of several chunks, reads it back through
// the local copy and, with the copy gone, from GridFS; the driver's own
// GridFS bucket reads the same bytes, so MongoDB's tools see ordinary
// GridFS files.
func TestBlobsAreGridFS(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	dir := t.TempDir()
	b := newBlobs(db, dir, slog.New(slog.DiscardHandler))
	data := make([]byte, 600<<10) // three chunks of 255 KiB
	_, _ = rand.Read(data)
	if err := b.put(t.Context(), "variant-test", "test.jpg", data, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := b.get(t.Context(), "variant-test"); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("from the local copy: %d bytes, %v", len(got), err)
	}
	if err := os.Remove(filepath.Join(dir, "variant-test")); err != nil {
		t.Fatalf("no local copy was kept: %v", err)
	}
	if got, err := b.get(t.Context(), "variant-test"); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("from GridFS: %d bytes, %v", len(got), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "variant-test")); err != nil {
		t.Fatalf("the copy read from GridFS was not kept: %v", err)
	}
	var buf bytes.Buffer
	if _, err := db.GridFSBucket().DownloadToStream(t.Context(), "variant-test", &buf); err != nil || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("through the driver's bucket: %d bytes, %v", buf.Len(), err)
	}
	if n, err := db.Collection("fs.chunks").CountDocuments(t.Context(), map[string]any{"files_id": "variant-test"}); err != nil || n != 3 {
		t.Fatalf("%d chunks, %v", n, err)
	}

	b.remove(t.Context(), "variant-test")
	if _, err := b.get(t.Context(), "variant-test"); !errors.Is(err, errNoBlob) {
		t.Fatalf("after remove: %v", err)
	}
	if n, _ := db.Collection("fs.chunks").CountDocuments(t.Context(), map[string]any{}); n != 0 {
		t.Fatalf("%d chunks left after remove", n)
	}
}
