package store

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ArchiveFormat names the archive layout; Import refuses any other.
const ArchiveFormat = "lantoa-archive/1"

// Manifest describes an archive: one JSON-lines file per collection
// (canonical Extended JSON, so types such as dates and binary survive), with
// its document count and the SHA-256 of its bytes. GridFS media travel as
// their fs.files and fs.chunks collections.
type Manifest struct {
	Format      string           `json:"format"`
	CreatedAt   time.Time        `json:"created_at"`
	Database    string           `json:"database"`
	Collections []CollectionFile `json:"collections"`
}

// CollectionFile is one collection in an archive.
type CollectionFile struct {
	Name      string `json:"name"`
	File      string `json:"file"`
	Documents int    `json:"documents"`
	SHA256    string `json:"sha256"`
}

// ErrNotEmpty means Import was asked to restore into a database that holds
// data, without merge.
var ErrNotEmpty = errors.New("the target database is not empty")

// Export writes every collection of db as a gzip-compressed tar archive:
// manifest.json first, then <collection>.jsonl files in _id order.
func Export(ctx context.Context, db *mongo.Database, w io.Writer, now time.Time) (Manifest, error) {
	names, err := db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return Manifest{}, fmt.Errorf("listing collections: %w", err)
	}
	slices.Sort(names)
	m := Manifest{Format: ArchiveFormat, CreatedAt: now.UTC(), Database: db.Name()}
	files := map[string][]byte{}
	for _, name := range names {
		data, n, err := dumpCollection(ctx, db.Collection(name))
		if err != nil {
			return Manifest{}, err
		}
		sum := sha256.Sum256(data)
		f := CollectionFile{Name: name, File: name + ".jsonl", Documents: n, SHA256: hex.EncodeToString(sum[:])}
		m.Collections = append(m.Collections, f)
		files[f.File] = data
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	raw, _ := json.MarshalIndent(m, "", "  ")
	if err := writeTarFile(tw, "manifest.json", raw, now); err != nil {
		return Manifest{}, err
	}
	for _, f := range m.Collections {
		if err := writeTarFile(tw, f.File, files[f.File], now); err != nil {
			return Manifest{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return Manifest{}, err
	}
	return m, gz.Close()
}

// dumpCollection returns the collection as canonical Extended JSON lines.
func dumpCollection(ctx context.Context, c *mongo.Collection) ([]byte, int, error) {
	cur, err := c.Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	var buf bytes.Buffer
	n := 0
	for cur.Next(ctx) {
		line, err := bson.MarshalExtJSON(cur.Current, true, false)
		if err != nil {
			return nil, 0, fmt.Errorf("encoding a document of %s: %w", c.Name(), err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
		n++
	}
	return buf.Bytes(), n, cur.Err()
}

func writeTarFile(tw *tar.Writer, name string, data []byte, now time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), ModTime: now}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// Import restores an archive into db. It refuses a database that already
// holds documents unless merge, in which case documents whose _id exists are
// kept as they are. Every file's checksum and count are verified before
// anything is written.
func Import(ctx context.Context, db *mongo.Database, r io.Reader, merge bool) (Manifest, error) {
	m, files, err := readArchive(r)
	if err != nil {
		return Manifest{}, err
	}
	if !merge {
		if err := ensureEmpty(ctx, db); err != nil {
			return Manifest{}, err
		}
	}
	for _, f := range m.Collections {
		if err := loadCollection(ctx, db.Collection(f.Name), files[f.File]); err != nil {
			return Manifest{}, err
		}
	}
	return m, nil
}

func readArchive(r io.Reader) (Manifest, map[string][]byte, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return Manifest{}, nil, fmt.Errorf("not a Lan Tỏa archive (gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Manifest{}, nil, fmt.Errorf("reading the archive: %w", err)
		}
		if h.Size > 4<<30 || strings.Contains(h.Name, "/") {
			return Manifest{}, nil, fmt.Errorf("unexpected entry %q in the archive", h.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return Manifest{}, nil, fmt.Errorf("reading %s: %w", h.Name, err)
		}
		files[h.Name] = data
	}
	var m Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil || m.Format != ArchiveFormat {
		return Manifest{}, nil, fmt.Errorf("the archive has no %s manifest", ArchiveFormat)
	}
	for _, f := range m.Collections {
		sum := sha256.Sum256(files[f.File])
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			return Manifest{}, nil, fmt.Errorf("%s: checksum mismatch, the archive is damaged", f.File)
		}
		if n := bytes.Count(files[f.File], []byte("\n")); n != f.Documents {
			return Manifest{}, nil, fmt.Errorf("%s: %d documents, the manifest says %d", f.File, n, f.Documents)
		}
	}
	return m, files, nil
}

func ensureEmpty(ctx context.Context, db *mongo.Database) error {
	names, err := db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return err
	}
	for _, n := range names {
		if c, err := db.Collection(n).EstimatedDocumentCount(ctx); err != nil || c > 0 {
			return fmt.Errorf("%w (collection %s has documents): restore into a new database, or merge", ErrNotEmpty, n)
		}
	}
	return nil
}

// loadCollection inserts the documents in batches, skipping ones whose _id
// already exists (a merge, or a rerun after an interrupted import).
func loadCollection(ctx context.Context, c *mongo.Collection, data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := c.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
		batch = batch[:0]
		var bw mongo.BulkWriteException
		if errors.As(err, &bw) && bw.WriteConcernError == nil && !slices.ContainsFunc(bw.WriteErrors, func(e mongo.BulkWriteError) bool { return e.Code != 11000 }) {
			return nil
		}
		return err
	}
	for sc.Scan() {
		var doc bson.D
		if err := bson.UnmarshalExtJSON(sc.Bytes(), true, &doc); err != nil {
			return fmt.Errorf("decoding a document of %s: %w", c.Name(), err)
		}
		batch = append(batch, doc)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return fmt.Errorf("restoring %s: %w", c.Name(), err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("restoring %s: %w", c.Name(), err)
	}
	return sc.Err()
}
