// Package held keeps an uploaded plan file between its preview and its
// import, for the page "Nhập kế hoạch từ Excel" (SPEC §6.4): the preview
// checks the file and creates nothing, the confirmation imports the very
// same bytes. Files are kept in the database, not on a replica's disk, so
// that the preview and the confirmation may reach different replicas; for
// a few hours only (Keep), then a little longer once imported (KeepImported)
// for the result page and its "submit all". A file belongs to the person
// who uploaded it: it is found by their id, their commune and the SHA-256
// of its bytes, never by anyone else.
package held

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Collection is where held files are kept.
const Collection = "plan_files"

const (
	// Keep is how long an uploaded file waits for its import.
	Keep = 2 * time.Hour
	// KeepImported is how long an imported file's outcome is kept after
	// the import, for the result page and "submit all".
	KeepImported = 24 * time.Hour
	// ClaimFor is how long a claim to import a file holds: far longer than
	// an import of 2,000 rows takes, so that only a request that died
	// mid-import leaves a claim to expire.
	ClaimFor = 10 * time.Minute
	// maxName bounds the file name kept for the page.
	maxName = usertext.TitleMax
)

// File is a held plan file.
type File struct {
	// ID is the SHA-256 of the commune, the uploader and SHA256: the same
	// file uploaded again by the same person is the same document.
	ID        string `bson:"_id"`
	CommuneID string `bson:"commune_id"`
	UserID    string `bson:"user_id"`
	// SHA256 is the hex SHA-256 of Data: what the pages name the file by.
	SHA256    string    `bson:"sha256"`
	Name      string    `bson:"name"`
	Data      []byte    `bson:"data"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
	// Import is what the import of the file did, once it ran.
	Import *Outcome `bson:"import,omitempty"`
	// ImportStarted is when a request claimed the file's import (Claim);
	// the zero time when none holds it.
	ImportStarted time.Time `bson:"import_started"`
}

// Importing reports whether a request is importing the file now.
func (h File) Importing(now time.Time) bool {
	return h.Import == nil && now.Sub(h.ImportStarted) < ClaimFor
}

// Outcome is what importing a held file did: the campaign, the items it
// created (ids, in file order) and the rows already in the campaign.
type Outcome struct {
	CampaignID string    `bson:"campaign_id"`
	At         time.Time `bson:"at"`
	Created    []string  `bson:"created"`
	Skipped    []Row     `bson:"skipped"`
}

// Row is a row of the file that made no new item.
type Row struct {
	Row   int    `bson:"row"`
	Title string `bson:"title"`
	Kind  string `bson:"kind"`
}

// Files keeps plan files.
type Files struct {
	col *mongo.Collection
	now func() time.Time
	log *slog.Logger
}

// New returns the held files over db.
func New(db *mongo.Database, now func() time.Time, log *slog.Logger) *Files {
	return &Files{col: db.Collection(Collection), now: now, log: log}
}

// Sum is the hex SHA-256 of data, the name a held file goes by.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func docID(commune, user, sum string) string {
	return Sum([]byte(commune + "\x00" + user + "\x00" + sum))
}

// Put keeps data, uploaded by user in the scope's commune under the file
// name name, for Keep, and returns it. Uploading the same bytes again
// keeps them anew and forgets an earlier import's outcome. A file over
// plans.MaxFileBytes is apperr.Invalid("file"). Expired files of every
// commune are removed on the way.
func (f *Files) Put(ctx context.Context, user, name string, data []byte) (File, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return File{}, err
	}
	if len(data) > plans.MaxFileBytes {
		return File{}, apperr.Invalid("file", "is larger than %d bytes", plans.MaxFileBytes)
	}
	if user == "" {
		return File{}, apperr.Invalid("user", "is required")
	}
	if _, err := f.Sweep(ctx); err != nil {
		f.log.Warn("sweeping held plan files", "err", err)
	}
	name, err = usertext.Line("name", name, maxName)
	if err != nil {
		name = "" // a name is only shown back; an odd one is not a reason to refuse the file
	}
	now := f.now().UTC().Truncate(time.Millisecond)
	sum := Sum(data)
	h := File{ID: docID(sc.CommuneID, user, sum), CommuneID: sc.CommuneID, UserID: user, SHA256: sum, Name: name,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(Keep)}
	set := bson.M{"commune_id": h.CommuneID, "user_id": h.UserID, "sha256": h.SHA256, "name": h.Name,
		"data": h.Data, "created_at": h.CreatedAt, "expires_at": h.ExpiresAt, "import_started": time.Time{}}
	_, err = f.col.UpdateOne(ctx, bson.M{"_id": h.ID}, bson.M{"$set": set, "$unset": bson.M{"import": ""}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return File{}, fmt.Errorf("keeping a plan file: %w", err)
	}
	return h, nil
}

// Get returns the file user kept in the scope's commune under sum, or
// apperr.ErrNotFound when there is none (never kept, kept by someone
// else, expired, or its bytes no longer match sum).
func (f *Files) Get(ctx context.Context, user, sum string) (File, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return File{}, err
	}
	var h File
	err = store.FindByID(ctx, f.col, docID(sc.CommuneID, user, sum), &h)
	if store.IsNoDocuments(err) {
		return File{}, apperr.NotFound("plan file")
	}
	if err != nil {
		return File{}, fmt.Errorf("reading a plan file: %w", err)
	}
	if h.UserID != user || h.SHA256 != sum || !f.now().Before(h.ExpiresAt) || Sum(h.Data) != sum {
		return File{}, apperr.NotFound("plan file")
	}
	return h, nil
}

// Claim claims the import of user's file sum for the caller: true unless
// another request claimed it less than ClaimFor ago (two taps on
// "import", two tabs), so that one import runs and records its outcome.
// The claimer calls Imported, or Release when it imported nothing.
func (f *Files) Claim(ctx context.Context, user, sum string) (bool, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return false, err
	}
	now := f.now().UTC()
	res, err := f.col.UpdateOne(ctx, bson.M{"_id": docID(sc.CommuneID, user, sum), "import_started": bson.M{"$lte": now.Add(-ClaimFor)}},
		bson.M{"$set": bson.M{"import_started": now}})
	if err != nil {
		return false, fmt.Errorf("claiming a plan import: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// Release gives up a claim on user's file sum (its import created
// nothing), so that it may be confirmed again.
func (f *Files) Release(ctx context.Context, user, sum string) error {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	_, err = f.col.UpdateOne(ctx, bson.M{"_id": docID(sc.CommuneID, user, sum)}, bson.M{"$set": bson.M{"import_started": time.Time{}}})
	if err != nil {
		return fmt.Errorf("releasing a plan import: %w", err)
	}
	return nil
}

// Imported records what importing user's file sum did, and keeps the file
// for KeepImported from now. apperr.ErrNotFound when it is not kept.
func (f *Files) Imported(ctx context.Context, user, sum string, o Outcome) error {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if o.Created == nil {
		o.Created = []string{}
	}
	if o.Skipped == nil {
		o.Skipped = []Row{}
	}
	res, err := f.col.UpdateOne(ctx, bson.M{"_id": docID(sc.CommuneID, user, sum)},
		bson.M{"$set": bson.M{"import": o, "expires_at": f.now().UTC().Add(KeepImported)}})
	if err != nil {
		return fmt.Errorf("recording a plan import: %w", err)
	}
	if res.MatchedCount == 0 {
		return apperr.NotFound("plan file")
	}
	return nil
}

// Sweep removes the expired files of every commune and returns how many.
func (f *Files) Sweep(ctx context.Context) (int64, error) {
	res, err := f.col.DeleteMany(ctx, bson.M{"expires_at": bson.M{"$lte": f.now().UTC()}})
	if err != nil {
		return 0, fmt.Errorf("sweeping plan files: %w", err)
	}
	return res.DeletedCount, nil
}

// Archive declares the held files' collection, for `lantoa import`.
func Archive() []store.Collection {
	return []store.Collection{{Name: Collection, Check: store.Decodes(func(h *File) error {
		if err := store.NonEmpty("commune_id", h.CommuneID, "user_id", h.UserID, "sha256", h.SHA256); err != nil {
			return err
		}
		if len(h.Data) > plans.MaxFileBytes {
			return fmt.Errorf("data is %d bytes, over %d", len(h.Data), plans.MaxFileBytes)
		}
		return nil
	})}}
}
