package edge

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestAbandonedRequestIsNotAServerError: a store call cut short because the
// caller hung up is logged as abandoned (499), not as a failure (500 and an
// ERROR line an operator would chase); a cancellation the caller did not
// cause still is a failure.
func TestAbandonedRequestIsNotAServerError(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, tc := range []struct {
		name      string
		hungUp    bool
		status    int
		level     string
		wantWords string
	}{
		{"caller hung up", true, StatusClientClosedRequest, "INFO", "abandoned by the client"},
		{"cancelled inside", false, http.StatusInternalServerError, "ERROR", "request failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logged, nil))
			ctx, cancel := context.WithCancel(context.Background())
			if tc.hungUp {
				cancel()
			} else {
				defer cancel()
			}
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest("GET", "/api/v1/calendar", nil).WithContext(ctx)
			FailJSON(c, log, fmt.Errorf("listing items: %w", context.Canceled))
			if c.Writer.Status() != tc.status {
				t.Errorf("status %d, want %d", c.Writer.Status(), tc.status)
			}
			line := logged.String()
			if !strings.Contains(line, `"level":"`+tc.level+`"`) || !strings.Contains(line, tc.wantWords) {
				t.Errorf("logged %q, want level %s and %q", line, tc.level, tc.wantWords)
			}
		})
	}
}
