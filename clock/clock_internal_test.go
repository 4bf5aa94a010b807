package clock

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestClockLogsAFailureOnce: a job failing the same way at every tick is
// logged once as an error, again when its cause changes, and its recovery
// once.
func TestClockLogsAFailureOnce(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := New(time.UTC, slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	results := []error{errors.New("store down"), errors.New("store down"), errors.New("store down"),
		errors.New("disk full"), nil, nil, errors.New("store down")}
	i := 0
	tick := c.run("repair", func(context.Context) error { i++; return results[i-1] })
	for range results {
		tick()
	}
	got := buf.String()
	if n := strings.Count(got, "level=ERROR"); n != 3 {
		t.Fatalf("%d error lines, want 3 (store down, disk full, store down again):\n%s", n, got)
	}
	if n := strings.Count(got, "clock job recovered"); n != 1 {
		t.Fatalf("%d recovery lines, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "disk full") || !strings.Contains(got, "job=repair") {
		t.Fatalf("the log does not say which job failed and why:\n%s", got)
	}
}
