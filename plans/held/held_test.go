package held_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/held"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func scoped(commune string) context.Context {
	return store.WithScope(context.Background(), store.Scope{CommuneID: commune})
}

// TestHeldFileBelongsToItsUploader: a file is found by its uploader in
// their commune under its SHA-256, by nobody else, and not after Keep.
func TestHeldFileBelongsToItsUploader(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	f := held.New(storetest.DB(t), clk.now, slog.New(slog.DiscardHandler))
	ctx := scoped("lien-minh")
	data := []byte("Loại,Tiêu đề\r\nLoa,Tin\r\n")
	h, err := f.Put(ctx, "u-1", "kế hoạch\x00.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if h.SHA256 != held.Sum(data) || h.Name != "" {
		t.Errorf("kept %s named %q", h.SHA256, h.Name) // a name with a NUL is dropped, the file kept
	}
	got, err := f.Get(ctx, "u-1", h.SHA256)
	if err != nil || !bytes.Equal(got.Data, data) || got.Import != nil {
		t.Fatalf("get: %v, %q", err, got.Data)
	}
	for name, try := range map[string]func() error{
		"another user":    func() error { _, err := f.Get(ctx, "u-2", h.SHA256); return err },
		"another commune": func() error { _, err := f.Get(scoped("dong-tam"), "u-1", h.SHA256); return err },
		"another sum":     func() error { _, err := f.Get(ctx, "u-1", held.Sum([]byte("x"))); return err },
		"a bad sum":       func() error { _, err := f.Get(ctx, "u-1", "../../x"); return err },
	} {
		if err := try(); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if _, err := f.Get(context.Background(), "u-1", h.SHA256); !errors.Is(err, apperr.ErrNoScope) {
		t.Errorf("without a scope: %v", err)
	}
	clk.advance(held.Keep)
	if _, err := f.Get(ctx, "u-1", h.SHA256); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("after %v: %v, want not found", held.Keep, err)
	}
	if n, err := f.Sweep(ctx); err != nil || n != 1 {
		t.Errorf("swept %d: %v", n, err)
	}
}

// TestHeldFileImported: the outcome of an import is kept with the file for
// KeepImported, and uploading the same bytes again forgets it.
func TestHeldFileImported(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	db := storetest.DB(t)
	f := held.New(db, clk.now, slog.New(slog.DiscardHandler))
	ctx := scoped("lien-minh")
	line := []byte("Loa,Tin số một,Nội dung\r\n")
	data := bytes.Repeat(line, plans.MaxFileBytes/len(line)) // a file near the limit
	h, err := f.Put(ctx, "u-1", "ke-hoach.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Imported(ctx, "u-1", held.Sum([]byte("other")), held.Outcome{}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("recording the import of a file not kept: %v", err)
	}
	o := held.Outcome{CampaignID: "c-1", At: clk.now(), Created: []string{"a", "b"}, Skipped: []held.Row{{Row: 4, Title: "Tin", Kind: "script"}}}
	if err := f.Imported(ctx, "u-1", h.SHA256, o); err != nil {
		t.Fatal(err)
	}
	clk.advance(held.Keep + time.Hour) // past Keep, within KeepImported
	got, err := f.Get(ctx, "u-1", h.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if got.Import == nil || got.Import.CampaignID != "c-1" || len(got.Import.Created) != 2 || got.Import.Skipped[0].Row != 4 {
		t.Fatalf("outcome %+v", got.Import)
	}
	if _, err := f.Put(ctx, "u-1", "ke-hoach.csv", data); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Get(ctx, "u-1", h.SHA256); err != nil || got.Import != nil {
		t.Errorf("after a new upload: %v, outcome %+v", err, got.Import)
	}
	if n, err := db.Collection(held.Collection).CountDocuments(ctx, bson.M{}); err != nil || n != 1 {
		t.Errorf("%d documents: %v", n, err)
	}
	if _, err := f.Put(ctx, "u-1", "big.csv", make([]byte, plans.MaxFileBytes+1)); err == nil {
		t.Error("a file over the limit was kept")
	}
}

// TestHeldFileClaim: one request at a time imports a file; a claim ends
// with Release, or by itself after ClaimFor (a request that died).
func TestHeldFileClaim(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	f := held.New(storetest.DB(t), clk.now, slog.New(slog.DiscardHandler))
	ctx := scoped("lien-minh")
	h, err := f.Put(ctx, "u-1", "a.csv", []byte("Loại,Tiêu đề\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	claim := func(want bool, when string) {
		t.Helper()
		if got, err := f.Claim(ctx, "u-1", h.SHA256); err != nil || got != want {
			t.Fatalf("%s: claimed %v (%v), want %v", when, got, err, want)
		}
	}
	if got, _ := f.Get(ctx, "u-1", h.SHA256); got.Importing(clk.now()) {
		t.Error("importing before any claim")
	}
	claim(true, "first")
	claim(false, "while held")
	if got, _ := f.Get(ctx, "u-1", h.SHA256); !got.Importing(clk.now()) {
		t.Error("not importing while claimed")
	}
	if got, err := f.Claim(ctx, "u-2", h.SHA256); err != nil || got {
		t.Errorf("another user claimed it: %v %v", got, err)
	}
	if err := f.Release(ctx, "u-1", h.SHA256); err != nil {
		t.Fatal(err)
	}
	claim(true, "after release")
	clk.advance(held.ClaimFor)
	claim(true, "after a claim expired")
	if err := f.Imported(ctx, "u-1", h.SHA256, held.Outcome{CampaignID: "c-1"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Get(ctx, "u-1", h.SHA256); got.Importing(clk.now()) || got.Import == nil {
		t.Errorf("after the import: importing %v, outcome %+v", got.Importing(clk.now()), got.Import)
	}
}
