package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestRequestIDsReachAnswersAndLogs: the id RequestIDs gives a request (the
// caller's when sane, a new one otherwise) is the one its answer carries,
// the one an internal error's message and log line name, and on a path no
// route has, under Compress as the service serves.
func TestRequestIDsReachAnswersAndLogs(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var logged bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logged, nil))
	r := gin.New()
	r.Use(RequestIDs, SecurityHeaders, Compress(func(*gin.Context) bool { return false }))
	r.GET("/fail", func(c *gin.Context) { FailJSON(c, log, errors.New("disk on fire")) })
	r.GET("/ok", func(c *gin.Context) { c.String(http.StatusOK, RequestID(c)) })
	r.NoRoute(NoRoute)

	for _, tc := range []struct {
		name, path, sent string
		kept             bool // the caller's id is the request's
		status           int
	}{
		{"the caller's id kept", "/ok", "caller-id-0001", true, 200},
		{"a new id when none", "/ok", "", false, 200},
		{"a new id for one too short", "/ok", "short", false, 200},
		{"a new id for one with a space", "/ok", "caller id 0001", false, 200},
		{"an internal error", "/fail", "caller-id-0002", true, 500},
		{"no route", "/nowhere", "caller-id-0003", true, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.sent != "" {
				req.Header.Set("X-Request-ID", tc.sent)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			id := w.Header().Get("X-Request-Id")
			switch {
			case tc.kept:
				if id != tc.sent {
					t.Fatalf("answer's id %q, want the caller's %q", id, tc.sent)
				}
			case len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "":
				t.Fatalf("answer's id %q, want 16 new hex digits", id)
			}
			switch tc.path {
			case "/ok":
				if w.Body.String() != id {
					t.Errorf("the handler saw id %q, the answer carries %q", w.Body.String(), id)
				}
			case "/fail":
				var body struct{ Error struct{ Message string } }
				_ = json.Unmarshal(w.Body.Bytes(), &body)
				if !strings.HasSuffix(body.Error.Message, "the request id is "+id) {
					t.Errorf("500 message %q does not name %q", body.Error.Message, id)
				}
				if !strings.Contains(logged.String(), `"request_id":"`+id+`"`) {
					t.Errorf("log %q does not name %q", logged.String(), id)
				}
			}
		})
	}
}
