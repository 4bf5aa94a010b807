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
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ArchiveFormat names the archive layout; Import refuses any other.
const ArchiveFormat = "lantoa-archive/1"

// Manifest describes an archive: one JSON-lines file per collection
// (canonical Extended JSON, so types such as dates and binary survive), with
// its document count, size and the SHA-256 of its bytes. GridFS media travel
// as their fs.files and fs.chunks collections.
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
	Documents int64  `json:"documents"`
	SHA256    string `json:"sha256"`
	// Bytes is the file's size; archives made before it was recorded
	// have 0, and then only the tar header says it.
	Bytes int64 `json:"bytes,omitempty"`
}

// ArchiveLimits bound what reading an archive may cost, whatever it holds:
// memory stays bounded by Line (one document is held at a time, plus an
// insert batch of at most 4 MiB), and time by Total.
type ArchiveLimits struct {
	Manifest    int64 // bytes of manifest.json
	Collections int   // collections in the manifest
	Documents   int64 // documents of one collection
	Line        int   // bytes of one document as Extended JSON
	Entry       int64 // bytes of one collection file
	Total       int64 // bytes of every collection file together
}

// DefaultArchiveLimits are far above a commune's five years (a few GB, the
// largest documents being 255 KiB GridFS chunks, about 350 KiB as Extended
// JSON) and far below what would exhaust a small machine: a document line
// may take 24 MiB (MongoDB's own limit is 16 MiB of BSON).
var DefaultArchiveLimits = ArchiveLimits{Manifest: 1 << 20, Collections: 1000, Documents: 100_000_000,
	Line: 24 << 20, Entry: 16 << 30, Total: 64 << 30}

// ErrNotEmpty means Import was asked to restore into a database that holds
// data, without merge.
var ErrNotEmpty = errors.New("the target database is not empty")

// ExportOptions are Export's settings.
type ExportOptions struct {
	// Now stamps the archive.
	Now time.Time
	// TempDir holds each collection's file while the archive is written
	// (its checksum goes into the manifest, which comes first); "" is the
	// system's. Choose a disk, not a memory file system: it takes as much
	// room as the database.
	TempDir string
	// NaturalOrder writes documents in the store's own order instead of
	// _id order. The embedded store (FerretDB 1.24) sorts in memory, so a
	// sorted export of 1 GiB of photos held 2.5 GB; MongoDB walks its _id
	// index instead. An import restores either order.
	NaturalOrder bool
}

// exportBatch is how many documents one round trip of an export reads.
// FerretDB does not cap a batch at 16 MiB as MongoDB does, and its default
// of 250 GridFS chunks (255 KiB each) exceeds the 48 MB a reply may hold
// ("length of read message too large"): 16 chunks are 4 MiB.
const exportBatch = 16

// Export writes every collection of db as a gzip-compressed tar archive:
// manifest.json first, then <collection>.jsonl files (in _id order unless
// opt.NaturalOrder). Each
// collection is streamed to a file under opt.TempDir first, so memory does
// not grow with the database.
func Export(ctx context.Context, db *mongo.Database, w io.Writer, opt ExportOptions) (Manifest, error) {
	names, err := db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return Manifest{}, fmt.Errorf("listing collections: %w", err)
	}
	slices.Sort(names)
	tmp, err := os.MkdirTemp(opt.TempDir, "lantoa-export-")
	if err != nil {
		return Manifest{}, fmt.Errorf("export: a temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	m := Manifest{Format: ArchiveFormat, CreatedAt: opt.Now.UTC(), Database: db.Name()}
	for i, name := range names {
		f, err := dumpCollection(ctx, db.Collection(name), filepath.Join(tmp, strconv.Itoa(i)), opt.NaturalOrder)
		if err != nil {
			return Manifest{}, err
		}
		m.Collections = append(m.Collections, f)
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	raw, _ := json.MarshalIndent(m, "", "  ")
	if err := writeTarEntry(tw, "manifest.json", int64(len(raw)), bytes.NewReader(raw), opt.Now); err != nil {
		return Manifest{}, err
	}
	for i, f := range m.Collections {
		if err := copyTarFile(tw, f, filepath.Join(tmp, strconv.Itoa(i)), opt.Now); err != nil {
			return Manifest{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return Manifest{}, err
	}
	return m, gz.Close()
}

// dumpCollection writes the collection as canonical Extended JSON lines to
// path and describes the file.
func dumpCollection(ctx context.Context, c *mongo.Collection, path string, natural bool) (CollectionFile, error) {
	out := CollectionFile{Name: c.Name(), File: c.Name() + ".jsonl"}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return out, err
	}
	defer f.Close()
	find := options.Find().SetBatchSize(exportBatch)
	if !natural {
		find.SetSort(bson.D{{Key: "_id", Value: 1}})
	}
	cur, err := c.Find(ctx, bson.M{}, find)
	if err != nil {
		return out, fmt.Errorf("reading %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<16)
	for cur.Next(ctx) {
		line, err := bson.MarshalExtJSON(cur.Current, true, false)
		if err != nil {
			return out, fmt.Errorf("encoding a document of %s: %w", c.Name(), err)
		}
		bw.Write(line)
		bw.WriteByte('\n')
		out.Documents++
		out.Bytes += int64(len(line)) + 1
	}
	if err := cur.Err(); err != nil {
		return out, fmt.Errorf("reading %s: %w", c.Name(), err)
	}
	if err := bw.Flush(); err != nil {
		return out, fmt.Errorf("export: writing %s: %w", c.Name(), err)
	}
	out.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return out, f.Close()
}

func copyTarFile(tw *tar.Writer, f CollectionFile, path string, now time.Time) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeTarEntry(tw, f.File, f.Bytes, in, now)
}

func writeTarEntry(tw *tar.Writer, name string, size int64, r io.Reader, now time.Time) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: now}); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("export: %s changed while it was written (%d bytes, expected %d)", name, n, size)
	}
	return err
}
