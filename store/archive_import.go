package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ImportOptions are Import's settings.
type ImportOptions struct {
	// Merge adds the archive's documents to a database that holds data,
	// keeping documents whose _id exists as they are.
	Merge bool
	// Schema lists every collection an archive may hold (each domain's
	// Archive, collected by the command).
	Schema Schema
	// Limits bound the archive; the zero value is DefaultArchiveLimits.
	Limits ArchiveLimits
}

// Insert batches hold at most this many documents or bytes.
const (
	batchDocs  = 500
	batchBytes = 4 << 20
)

// Import restores an archive into db in two passes over r. The first
// (Verify) reads everything and writes nothing: a damaged, forged or
// hostile archive is refused with the database untouched. The second
// writes. Without merge the database must hold no documents, and if a write
// fails (the store goes away, two documents share an _id, the file changed
// between the passes) every collection this run wrote to is emptied again
// (dropped if it did not exist before), so that the database is left as it
// was; with merge the documents added before the failure stay, and running
// the same merge again adds only what is missing.
func Import(ctx context.Context, db *mongo.Database, r io.ReadSeeker, opt ImportOptions) (Manifest, error) {
	if opt.Limits == (ArchiveLimits{}) {
		opt.Limits = DefaultArchiveLimits
	}
	var before []string
	if !opt.Merge {
		var err error
		if before, err = ensureEmpty(ctx, db); err != nil {
			return Manifest{}, err
		}
	}
	m, err := Verify(r, opt.Schema, opt.Limits)
	if err != nil {
		return Manifest{}, fmt.Errorf("the archive was refused, nothing was written: %w", err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Manifest{}, err
	}
	if !opt.Merge {
		if before, err = ensureEmpty(ctx, db); err != nil { // written to meanwhile?
			return Manifest{}, err
		}
	}
	written, err := load(ctx, db, r, m, opt)
	if err == nil {
		return m, nil
	}
	if opt.Merge {
		return Manifest{}, fmt.Errorf("%w; the documents added before this were kept (the database was not empty, so they "+
			"cannot be told apart): run the same import with --merge again once the cause is fixed, it adds only what is missing", err)
	}
	if rerr := rollback(context.WithoutCancel(ctx), db, written, before); rerr != nil {
		return Manifest{}, fmt.Errorf("%w; undoing it failed too (%v): empty the collections %v by hand", err, rerr, written)
	}
	return Manifest{}, fmt.Errorf("%w; what this import had written was removed, the database is as it was", err)
}

// load is Import's second pass over an archive whose first pass gave
// verified. It returns the collections it wrote to. The bytes were all
// verified, so an error reading them means the file changed meanwhile.
func load(ctx context.Context, db *mongo.Database, r io.Reader, verified Manifest, opt ImportOptions) ([]string, error) {
	var written []string
	changed := func(err error) ([]string, error) {
		var w writeError
		if errors.As(err, &w) {
			return written, w.err
		}
		return written, fmt.Errorf("the archive changed since it was verified: %w", err)
	}
	a, err := openArchive(r, opt.Schema, opt.Limits)
	if err != nil {
		return changed(err)
	}
	if !reflect.DeepEqual(a.m, verified) {
		return changed(errors.New("its manifest is not the one verified"))
	}
	for {
		f, err := a.next()
		if errors.Is(err, io.EOF) {
			if err := a.finish(); err != nil {
				return changed(err)
			}
			return written, nil
		}
		if err != nil {
			return changed(err)
		}
		written = append(written, f.Name)
		b := &batch{c: db.Collection(f.Name), merge: opt.Merge}
		err = a.documents(f, func(doc bson.Raw) error { return b.add(ctx, doc) })
		if err == nil {
			err = b.flush(ctx)
		}
		if err != nil {
			return changed(err)
		}
	}
}

// writeError is a failure to write, as opposed to one to read.
type writeError struct{ err error }

func (w writeError) Error() string { return w.err.Error() }

// batch inserts documents of one collection, a bounded batch at a time.
type batch struct {
	c     *mongo.Collection
	merge bool
	docs  []any
	size  int
}

func (b *batch) add(ctx context.Context, doc bson.Raw) error {
	b.docs = append(b.docs, doc)
	if b.size += len(doc); len(b.docs) >= batchDocs || b.size >= batchBytes {
		return b.flush(ctx)
	}
	return nil
}

// flush inserts the batch. With merge a document whose _id exists is
// skipped; without, the database was empty, so an existing _id means the
// archive holds it twice.
func (b *batch) flush(ctx context.Context) error {
	if len(b.docs) == 0 {
		return nil
	}
	_, err := b.c.InsertMany(ctx, b.docs, options.InsertMany().SetOrdered(false))
	b.docs, b.size = b.docs[:0], 0
	var bw mongo.BulkWriteException
	if b.merge && errors.As(err, &bw) && bw.WriteConcernError == nil &&
		!slices.ContainsFunc(bw.WriteErrors, func(e mongo.BulkWriteError) bool { return e.Code != 11000 }) {
		return nil
	}
	if mongo.IsDuplicateKeyError(err) {
		return writeError{fmt.Errorf("restoring %s: the archive holds two documents with the same _id: %w", b.c.Name(), err)}
	}
	if err != nil {
		return writeError{fmt.Errorf("restoring %s: %w", b.c.Name(), err)}
	}
	return nil
}

// ensureEmpty returns the database's collections, or ErrNotEmpty when one
// holds a document.
func ensureEmpty(ctx context.Context, db *mongo.Database) ([]string, error) {
	names, err := db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if err := db.Collection(n).FindOne(ctx, bson.M{}).Err(); !errors.Is(err, mongo.ErrNoDocuments) {
			if err == nil {
				err = fmt.Errorf("%w (collection %s has documents): restore into a new database, or merge", ErrNotEmpty, n)
			}
			return nil, err
		}
	}
	return names, nil
}

// rollback empties the collections an import wrote to: a collection that
// existed before (empty, perhaps with its indexes) keeps existing, one the
// import created is dropped.
func rollback(ctx context.Context, db *mongo.Database, written, before []string) error {
	var errs []error
	for _, name := range written {
		c := db.Collection(name)
		if slices.Contains(before, name) {
			_, err := c.DeleteMany(ctx, bson.M{})
			errs = append(errs, err)
			continue
		}
		errs = append(errs, c.Drop(ctx))
	}
	return errors.Join(errs...)
}
