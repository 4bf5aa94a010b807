package app_test

import (
	"net/http"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
)

// BenchmarkCalendarMonth measures GET /api/v1/calendar for one month over
// HTTP on the embedded store, with the seeded campaigns.
func BenchmarkCalendarMonth(b *testing.B) {
	e := apptest.New(b)
	tok := e.User(accounts.RoleEditor, "lien-minh")
	req, _ := http.NewRequest("GET", e.Server.URL+"/api/v1/calendar?from=2026-11-01&to=2026-11-30", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	for b.Loop() {
		r := e.Send(req)
		if r.StatusCode != 200 {
			b.Fatalf("status %d", r.StatusCode)
		}
	}
}
