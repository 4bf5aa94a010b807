package store

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// archiveReader reads an archive as a stream: the manifest, then each
// collection file, one document at a time. Nothing is held whole: a
// collection file passes through a 64 KiB buffer, and one document line
// (at most Limits.Line bytes) is held while it is checked or written.
type archiveReader struct {
	lim    ArchiveLimits
	schema Schema
	gz     *gzip.Reader
	tr     *tar.Reader
	m      Manifest
	files  map[string]int // file name → index in m.Collections
	seen   map[string]bool
	total  int64
	br     *bufio.Reader
	line   []byte
}

// openArchive reads the gzip and tar framing and the manifest, which must
// be the first entry, and checks the manifest against the limits and the
// schema.
func openArchive(r io.Reader, schema Schema, lim ArchiveLimits) (*archiveReader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a Lan Tỏa archive (gzip): %w", err)
	}
	gz.Multistream(false) // a second gzip member would be data outside the archive
	a := &archiveReader{lim: lim, schema: schema, gz: gz, tr: tar.NewReader(gz),
		files: map[string]int{}, seen: map[string]bool{}, br: bufio.NewReaderSize(nil, 64<<10)}
	h, err := a.tr.Next()
	if err != nil {
		return nil, fmt.Errorf("reading the archive: %w", err)
	}
	if h.Name != "manifest.json" || !regular(h) {
		return nil, fmt.Errorf("the archive does not begin with its %s manifest (first entry %q)", ArchiveFormat, h.Name)
	}
	if h.Size > lim.Manifest {
		return nil, fmt.Errorf("manifest.json is %d bytes, more than the %d allowed", h.Size, lim.Manifest)
	}
	dec := json.NewDecoder(io.LimitReader(a.tr, lim.Manifest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a.m); err != nil || a.m.Format != ArchiveFormat {
		return nil, fmt.Errorf("the archive has no %s manifest (%v)", ArchiveFormat, err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, errors.New("manifest.json holds more than the manifest")
	}
	return a, a.checkManifest()
}

func regular(h *tar.Header) bool { return h.Typeflag == tar.TypeReg || h.Typeflag == '\x00' }

// checkManifest refuses a manifest naming a collection no domain declares,
// one file twice, or figures beyond the limits.
func (a *archiveReader) checkManifest() error {
	if len(a.m.Collections) > a.lim.Collections {
		return fmt.Errorf("the manifest names %d collections, more than the %d allowed", len(a.m.Collections), a.lim.Collections)
	}
	var declared int64
	names := map[string]bool{}
	for i, f := range a.m.Collections {
		if _, ok := a.schema.find(f.Name); !ok || strings.ContainsAny(f.Name, "/\\$\x00") || len(f.Name) > 120 {
			return fmt.Errorf("the archive holds the collection %q, which this version of Lan Tỏa does not write", f.Name)
		}
		if names[f.Name] {
			return fmt.Errorf("the manifest names the collection %s twice", f.Name)
		}
		names[f.Name] = true
		if f.File != f.Name+".jsonl" {
			return fmt.Errorf("the manifest gives the collection %s the file %q, not %s.jsonl", f.Name, f.File, f.Name)
		}
		if f.Documents < 0 || f.Documents > a.lim.Documents {
			return fmt.Errorf("%s: %d documents, outside 0–%d", f.File, f.Documents, a.lim.Documents)
		}
		if f.Bytes < 0 || f.Bytes > a.lim.Entry {
			return fmt.Errorf("%s: %d bytes, outside 0–%d", f.File, f.Bytes, a.lim.Entry)
		}
		if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("%s: %q is not a SHA-256", f.File, f.SHA256)
		}
		declared += f.Bytes
		a.files[f.File] = i
	}
	if declared > a.lim.Total {
		return fmt.Errorf("the manifest declares %d bytes, more than the %d allowed", declared, a.lim.Total)
	}
	return nil
}

// next moves to the next collection file and returns its manifest entry;
// io.EOF after the last. An entry the manifest does not name, a second copy
// of one, anything but a regular file, or a size beyond the limits is an
// error before any of its bytes are read.
func (a *archiveReader) next() (CollectionFile, error) {
	h, err := a.tr.Next()
	if errors.Is(err, io.EOF) {
		return CollectionFile{}, io.EOF
	}
	if err != nil {
		return CollectionFile{}, fmt.Errorf("reading the archive: %w", err)
	}
	i, ok := a.files[h.Name]
	if !ok || !regular(h) {
		return CollectionFile{}, fmt.Errorf("the archive holds %q, which its manifest does not name", h.Name)
	}
	if a.seen[h.Name] {
		return CollectionFile{}, fmt.Errorf("the archive holds %s twice", h.Name)
	}
	a.seen[h.Name] = true
	f := a.m.Collections[i]
	if h.Size > a.lim.Entry || (f.Bytes > 0 && h.Size != f.Bytes) {
		return CollectionFile{}, fmt.Errorf("%s: %d bytes (the manifest says %d, at most %d are allowed)", h.Name, h.Size, f.Bytes, a.lim.Entry)
	}
	if a.total += h.Size; a.total > a.lim.Total {
		return CollectionFile{}, fmt.Errorf("the archive's files exceed %d bytes in all", a.lim.Total)
	}
	return f, nil
}

// documents streams the current file's documents to fn, each checked
// against the collection's declaration first, and then verifies the
// file's count and checksum against the manifest.
func (a *archiveReader) documents(f CollectionFile, fn func(doc bson.Raw) error) error {
	c, _ := a.schema.find(f.Name)
	sum := sha256.New()
	a.br.Reset(io.TeeReader(a.tr, sum))
	var n int64
	for {
		line, err := a.readLine()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s, document %d: %w", f.File, n+1, err)
		}
		if n++; n > f.Documents {
			return fmt.Errorf("%s: more than the %d documents the manifest says", f.File, f.Documents)
		}
		doc, err := parseLine(line)
		if err == nil {
			err = checkDocument(doc, c)
		}
		if err == nil {
			err = fn(doc)
		}
		if err != nil {
			return fmt.Errorf("%s, document %d: %w", f.File, n, err)
		}
	}
	if n != f.Documents {
		return fmt.Errorf("%s: %d documents, the manifest says %d", f.File, n, f.Documents)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != f.SHA256 {
		return fmt.Errorf("%s: checksum mismatch, the archive is damaged", f.File)
	}
	return nil
}

// readLine returns the next line without its LF, read through the 64 KiB
// buffer into a line buffer that grows only as far as Limits.Line; io.EOF
// at the end of the file. A last line without LF is an error: export ends
// every document with one, so the file was cut.
func (a *archiveReader) readLine() ([]byte, error) {
	a.line = a.line[:0]
	for {
		chunk, err := a.br.ReadSlice('\n')
		if len(a.line)+len(chunk) > a.lim.Line+1 {
			return nil, fmt.Errorf("a document longer than %d bytes", a.lim.Line)
		}
		a.line = append(a.line, chunk...)
		switch {
		case err == nil:
			return a.line[:len(a.line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(a.line) == 0:
			return nil, io.EOF
		case errors.Is(err, io.EOF):
			return nil, errors.New("the file ends in the middle of a document")
		default:
			return nil, err
		}
	}
}

// parseLine decodes one line of canonical Extended JSON into a document.
// json.Valid first: the Extended JSON decoder would silently ignore a
// second document after the first on the same line.
func parseLine(line []byte) (bson.Raw, error) {
	if !json.Valid(line) || len(bytes.TrimSpace(line)) == 0 || bytes.TrimSpace(line)[0] != '{' {
		return nil, errors.New("is not one JSON object")
	}
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON(line, true, &doc); err != nil {
		return nil, fmt.Errorf("is not Extended JSON: %w", err)
	}
	return doc, nil
}

// finish checks that every file of the manifest was read and that nothing
// but tar padding follows the archive's end.
func (a *archiveReader) finish() error {
	for _, f := range a.m.Collections {
		if !a.seen[f.File] {
			return fmt.Errorf("the archive lacks %s, which its manifest names", f.File)
		}
	}
	rest, err := io.Copy(zeroChecker{}, io.LimitReader(a.gz, 1<<20+1))
	if err != nil || rest > 1<<20 {
		return fmt.Errorf("the archive has data after its end (%v)", err)
	}
	return nil
}

// zeroChecker accepts only zero bytes (the padding of a tar file).
type zeroChecker struct{}

func (zeroChecker) Write(p []byte) (int, error) {
	if bytes.IndexFunc(p, func(r rune) bool { return r != 0 }) >= 0 {
		return 0, errors.New("non-zero bytes")
	}
	return len(p), nil
}

// Verify reads a whole archive without writing anything: the manifest
// against the schema and limits, every collection file against the
// manifest (named, sized, counted, checksummed), every document against
// its collection's declaration. It is the first pass of Import, and
// `lantoa import --check`.
func Verify(r io.Reader, schema Schema, lim ArchiveLimits) (Manifest, error) {
	if len(schema) == 0 {
		return Manifest{}, errors.New("import: no collections are declared (the schema is empty)")
	}
	if lim == (ArchiveLimits{}) {
		lim = DefaultArchiveLimits
	}
	a, err := openArchive(r, schema, lim)
	if err != nil {
		return Manifest{}, err
	}
	for {
		f, err := a.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Manifest{}, err
		}
		if err := a.documents(f, func(bson.Raw) error { return nil }); err != nil {
			return Manifest{}, err
		}
	}
	return a.m, a.finish()
}
