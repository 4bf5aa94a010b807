package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/app/apptest"
)

// TestBrowsersGetPagesForMissingPaths: a browser asking for a path nothing
// serves gets an HTML page (404, 405), an API client the SPEC's JSON error,
// and anything under /api/ is JSON whoever asks.
func TestBrowsersGetPagesForMissingPaths(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, c := range []struct {
		method, path, accept string
		status               int
		html                 bool
	}{
		{"GET", "/khong-co", "text/html,application/xhtml+xml,*/*;q=0.8", 404, true},
		{"GET", "/khong-co", "application/json", 404, false},
		{"GET", "/khong-co", "", 404, false},
		{"GET", "/api/v1/khong-co", "text/html,*/*", 404, false},
		{"DELETE", "/calendar", "text/html", 405, true},
		{"DELETE", "/api/v1/campaigns", "text/html", 405, false},
	} {
		req, _ := http.NewRequest(c.method, e.Server.URL+c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		res := e.Send(req)
		ct := res.Header.Get("Content-Type")
		if res.StatusCode != c.status || strings.HasPrefix(ct, "text/html") != c.html {
			t.Errorf("%s %s (Accept %q): %d %s", c.method, c.path, c.accept, res.StatusCode, ct)
			continue
		}
		if c.html && !strings.Contains(string(res.Body), "<html") {
			t.Errorf("%s %s: not a page: %.200s", c.method, c.path, res.Body)
		}
		if !c.html && res.ErrorCode() == "" {
			t.Errorf("%s %s: not the error shape: %.200s", c.method, c.path, res.Body)
		}
	}
}
