package demo_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/demo"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// TestDemoLivesTheFirstDaysOfACampaign runs the demo up to the evening of the second day
// of the domestic violence month (its second day) and checks what a newcomer would see:
// users who can sign in, airings, skipped slots and their reach.
func TestDemoLivesTheFirstDaysOfACampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo lives eight days of the service")
	}
	t.Parallel()
	e := apptest.New(t)
	now := time.Date(2026, 6, 2, 18, 0, 0, 0, e.Config.Location)
	res, err := demo.Run(t.Context(), e.App, e.Clock, e.Config.Location, demo.Options{Password: "demo-password-1", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Year != 2026 || res.Airings == 0 || res.Stations != 8 || res.Items["script"] == 0 || len(res.Users) != 4 {
		t.Fatalf("demo made %+v", res)
	}
	if _, _, err := e.App.Accounts.Login(t.Context(), "quanly", "demo-password-1", "test"); err != nil {
		t.Fatalf("the demo manager cannot sign in: %v", err)
	}
	var sum reach.Summary
	e.Do("GET", "/api/v1/reach/summary?campaign=lien-minh-dv-month-2026", e.User(accounts.RoleManager, "lien-minh"), nil).Want(200).JSON(&sum)
	if sum.Totals["loudspeaker"]["airings"] != int64(res.Airings) || sum.Totals["loudspeaker"]["listeners"] == 0 || len(sum.Villages) < 7 {
		t.Fatalf("summary %+v, demo %d airings", sum, res.Airings)
	}
	archiveRoundTrip(t, e)
}

// archiveRoundTrip exports what the demo made and imports it into a new
// database through every domain's declarations: each collection the
// service wrote is declared, each document passes its checks, and the copy
// exports to the same manifest.
func archiveRoundTrip(t *testing.T, e *apptest.Env) {
	t.Helper()
	ctx := t.Context()
	names, err := e.DB.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !slices.ContainsFunc(app.ArchiveSchema(), func(c store.Collection) bool { return c.Name == n || c.Match != nil && c.Match(n) }) {
			t.Errorf("the collection %s is not declared by any domain's Archive", n)
		}
	}
	var archive bytes.Buffer
	m1, err := store.Export(ctx, e.DB, &archive, store.ExportOptions{Now: e.Clock.Now(), TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	dst := storetest.DB(t)
	if _, err := store.Import(ctx, dst, bytes.NewReader(archive.Bytes()), store.ImportOptions{Schema: app.ArchiveSchema()}); err != nil {
		t.Fatalf("importing the demo's archive: %v", err)
	}
	var again bytes.Buffer
	m2, err := store.Export(ctx, dst, &again, store.ExportOptions{Now: e.Clock.Now(), TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// Empty collections are not recreated (the service makes them, with
	// their indexes, at start); every other one comes back the same.
	full := slices.DeleteFunc(slices.Clone(m1.Collections), func(c store.CollectionFile) bool { return c.Documents == 0 })
	if len(full) < 15 || !slices.Equal(full, m2.Collections) {
		t.Fatalf("the demo's collections %v came back as %v", full, m2.Collections)
	}
}
