package demo_test

import (
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/demo"
	"github.com/lantoa/lantoa/reach"
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
}
