package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fuzzSchema accepts two collections, one with a typed check.
var fuzzSchema = Schema{
	{Name: "campaigns", Check: Decodes(func(c *struct {
		Status string `bson:"status"`
	}) error {
		return OneOf("status", c.Status, "draft", "approved")
	})},
	{Name: "x"},
}

// fuzzLimits are small, so that the fuzzer reaches every limit.
var fuzzLimits = ArchiveLimits{Manifest: 4 << 10, Collections: 4, Documents: 64, Line: 512, Entry: 16 << 10, Total: 32 << 10}

// FuzzReadArchive feeds arbitrary bytes to the archive reader that `lantoa
// import` runs before writing anything (Verify). It must never panic, never
// hold more than a line's worth of a document, and whatever it accepts must
// hold: every manifest file present once, every document a valid one of a
// declared collection, counts and checksums as the manifest says (checked
// again here by a second, independent reading).
func FuzzReadArchive(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00})
	f.Add([]byte("manifest.json"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Verify(bytes.NewReader(raw), fuzzSchema, fuzzLimits)
		if err != nil {
			return
		}
		if m.Format != ArchiveFormat || len(m.Collections) > fuzzLimits.Collections {
			t.Fatalf("accepted manifest %+v", m)
		}
		a, err := openArchive(bytes.NewReader(raw), fuzzSchema, fuzzLimits)
		if err != nil {
			t.Fatalf("verified, then refused: %v", err)
		}
		seen := map[string]int64{}
		for {
			cf, err := a.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("verified, then: %v", err)
			}
			c, ok := fuzzSchema.find(cf.Name)
			if !ok {
				t.Fatalf("accepted an undeclared collection %q", cf.Name)
			}
			if err := a.documents(cf, func(doc bson.Raw) error {
				seen[cf.File]++
				if len(doc) > maxBSONDocument || doc.Validate() != nil || checkDocument(doc, c) != nil {
					t.Fatalf("accepted a bad document %v", doc)
				}
				return nil
			}); err != nil {
				t.Fatalf("verified, then: %v", err)
			}
		}
		for _, cf := range m.Collections {
			if seen[cf.File] != cf.Documents {
				t.Fatalf("%s: %d documents read, the manifest says %d", cf.File, seen[cf.File], cf.Documents)
			}
		}
	})
}

// TestFuzzCorpusHasAnAcceptedArchive: the committed corpus holds a valid
// archive (so the fuzzer explores the accepting path from the start) and
// hostile ones that are refused.
func TestFuzzCorpusHasAnAcceptedArchive(t *testing.T) {
	t.Parallel()
	for name, wantOK := range map[string]bool{"valid": true, "enum": false, "extra-entry": false, "after-end": false, "huge-counts": false} {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzReadArchive", name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(raw), "\n", 3)
		data, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, err = Verify(bytes.NewReader([]byte(data)), fuzzSchema, fuzzLimits)
		if (err == nil) != wantOK {
			t.Errorf("%s: %v", name, err)
		}
	}
}
