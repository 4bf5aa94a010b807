package store_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/store"
)

// testCampaign is a document type of the test schema, with an enum.
type testCampaign struct {
	ID      string           `bson:"_id"`
	Title   string           `bson:"title"`
	Status  string           `bson:"status"`
	Targets map[string]int64 `bson:"targets"`
	At      time.Time        `bson:"created_at"`
}

// testSchema stands for the domains' declarations in this package's tests.
var testSchema = store.Schema{
	{Name: "campaigns", Check: store.Decodes(func(c *testCampaign) error {
		return store.OneOf("status", c.Status, "draft", "approved")
	})},
	{Name: "x"},
	{Name: "fs.files"},
	{Name: "fs.chunks"},
	{Name: "weeks_<YYYY>", Match: regexp.MustCompile(`^weeks_[0-9]{4}$`).MatchString, Check: store.Decodes(func(w *struct {
		D map[string]int64 `bson:"d"`
	}) error {
		return nil
	})},
}

// entry is one file of a hand-made archive.
type entry struct {
	name     string
	data     string
	typeflag byte
}

// collection is one collection of a hand-made archive: its documents as
// Extended JSON lines.
type collection struct {
	name  string
	lines []string
}

// file returns the collection's file and its manifest entry.
func (c collection) file() (entry, store.CollectionFile) {
	data := ""
	for _, l := range c.lines {
		data += l + "\n"
	}
	sum := sha256.Sum256([]byte(data))
	return entry{name: c.name + ".jsonl", data: data}, store.CollectionFile{Name: c.name, File: c.name + ".jsonl",
		Documents: int64(len(c.lines)), SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(data))}
}

// archiveOf makes a well-formed archive of collections; edit, when given,
// changes the manifest and the entries before they are written.
func archiveOf(t testing.TB, colls []collection, edit func(m *store.Manifest, files *[]entry)) []byte {
	t.Helper()
	m := store.Manifest{Format: store.ArchiveFormat, CreatedAt: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Database: "lantoa"}
	var files []entry
	for _, c := range colls {
		e, f := c.file()
		files = append(files, e)
		m.Collections = append(m.Collections, f)
	}
	if edit != nil {
		edit(&m, &files)
	}
	raw, _ := json.Marshal(m)
	return tgz(t, append([]entry{{name: "manifest.json", data: string(raw)}}, files...)...)
}

// tgz writes entries as a gzip-compressed tar file.
func tgz(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o600, Size: int64(len(e.data)), Typeflag: tar.TypeReg}
		if e.typeflag != 0 {
			h.Typeflag, h.Size, h.Linkname = e.typeflag, 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goodCollections are a small valid archive's collections.
func goodCollections() []collection {
	return []collection{
		{"campaigns", []string{
			`{"_id":"c1","title":"Tháng hành động","status":"approved","targets":{"facebook":{"$numberLong":"2000"}},"created_at":{"$date":{"$numberLong":"1795000000000"}}}`,
			`{"_id":"c2","title":"Ngày 25/11","status":"draft"}`,
		}},
		{"weeks_2026", []string{`{"_id":"w|1","d":{"2026-11-16":{"$numberLong":"3"}}}`}},
		{"x", []string{`{"_id":{"$numberInt":"7"},"n":{"$numberInt":"1"}}`}},
	}
}

// tampered is the good archive with one document of x changed after the
// manifest was made (same size, another checksum).
func tampered(t testing.TB) []byte {
	return archiveOf(t, goodCollections(), func(_ *store.Manifest, files *[]entry) {
		(*files)[2].data = strings.Replace((*files)[2].data, `"7"`, `"8"`, 1)
	})
}

func gunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func gzipOf(t testing.TB, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// changing reads as one archive the first time through and as another
// after a seek to the start: an archive replaced between Import's passes.
type changing struct {
	first, second []byte
	r             *bytes.Reader
	seeks         int
}

func (c *changing) Read(p []byte) (int, error) {
	if c.r == nil {
		c.r = bytes.NewReader(c.first)
	}
	return c.r.Read(p)
}

func (c *changing) Seek(off int64, whence int) (int64, error) {
	if off != 0 || whence != 0 {
		return 0, errors.New("only a rewind")
	}
	c.seeks++
	c.r = bytes.NewReader(c.second)
	return 0, nil
}

// wantRefused fails unless err is an error whose text holds want.
func wantRefused(t *testing.T, name string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted", name)
	} else if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want it to say %q", name, err, want)
	}
}
