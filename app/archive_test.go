package app_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/store"
)

// declared reports whether a domain's Archive declares the collection.
func declared(name string) bool {
	return slices.ContainsFunc(app.ArchiveSchema(), func(c store.Collection) bool {
		return c.Name == name || c.Match != nil && c.Match(name)
	})
}

// archiveSound exports what a test made and verifies the archive as
// `lantoa import` would: every collection declared, every document passing
// its domain's checks.
func archiveSound(t *testing.T, e *apptest.Env) {
	t.Helper()
	names, err := e.DB.ListCollectionNames(t.Context(), bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !declared(n) {
			t.Errorf("the collection %s is not declared by any domain's Archive", n)
		}
	}
	var buf bytes.Buffer
	if _, err := store.Export(t.Context(), e.DB, &buf, store.ExportOptions{Now: e.Clock.Now(), TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Verify(&buf, app.ArchiveSchema(), store.DefaultArchiveLimits); err != nil {
		t.Fatalf("the service's own archive is refused: %v", err)
	}
}

// TestEveryCollectionNamedInTheCodeIsDeclared reads the source for
// collection names (Collection("…") and constants naming collections) and
// checks that each is in the archive schema, so that a new collection
// cannot be forgotten by `lantoa import`.
func TestEveryCollectionNamedInTheCodeIsDeclared(t *testing.T) {
	t.Parallel()
	literal := regexp.MustCompile(`\.Collection\("([^"]+)"\)`)
	constant := regexp.MustCompile(`(?m)^\s*(?:const\s+)?\w*(?:Coll|Collection|resumes)\s*=\s*"([a-z_.]+)"`)
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bench" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{literal, constant} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				found[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 25 {
		t.Fatalf("only %d collection names found: %v", len(found), found)
	}
	for name, path := range found {
		if !declared(name) && !declared(name+"2026") {
			t.Errorf("%s (named in %s) is not declared by any domain's Archive", name, path)
		}
	}
}
