package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
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

// BenchmarkRundownPull measures the hottest route, a station device's
// GET /api/v1/stations/:id/rundown with its station token, through the
// whole middleware chain in process (no network): the time and the
// allocations the service adds to each pull. bench/rundown measures it
// over TCP against nginx.
func BenchmarkRundownPull(b *testing.B) {
	e := apptest.New(b)
	l := setupLoudspeakers(b, e)
	for i, at := range []string{"06:00", "06:00", "17:30"} {
		l.script(b, fmt.Sprintf("Bài %d", i), words(180), map[string]any{"times": []string{at}, "from": "2026-11-21", "to": "2026-11-30"}, l.a.ID)
	}
	var issued struct {
		Token string `json:"token"`
	}
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/token", l.adminToken, nil).Want(201).JSON(&issued)
	req := httptest.NewRequest("GET", "/api/v1/stations/"+l.a.ID+"/rundown?date=2026-11-21", nil)
	req.Header.Set("Authorization", "Bearer "+issued.Token)
	w := &discardWriter{h: http.Header{}}
	e.App.Handler.ServeHTTP(w, req)
	if w.status != 200 || w.n < 1000 {
		b.Fatalf("status %d, %d bytes", w.status, w.n)
	}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		w.status, w.n = 0, 0
		e.App.Handler.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the status and size.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(200)
	w.n += len(p)
	return len(p), nil
}
