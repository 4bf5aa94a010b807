package store

import (
	"log/slog"
	"strings"
	"testing"
)

// TestOnlyThrowawayStoresSkipFsync: the service's store keeps SQLite's
// durable default; only a throwaway one (tests, the demo) turns fsync off.
func TestOnlyThrowawayStoresSkipFsync(t *testing.T) {
	t.Parallel()
	if u := sqliteURL("/data/db", false); strings.Contains(u, "synchronous") || u != "file:/data/db/" {
		t.Errorf("durable URL = %q, want file:/data/db/ with no synchronous pragma", u)
	}
	if u := sqliteURL("/data/db", true); !strings.Contains(u, "_pragma=synchronous%28off%29") {
		t.Errorf("throwaway URL = %q, want synchronous(off)", u)
	}
}

// TestEngineLogKeepsWarningsButNotWireDumps: the engine's own warnings
// reach the log; its dumps of a failed command's messages do not.
func TestEngineLogKeepsWarningsButNotWireDumps(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	log := slog.New(levelFloor{slog.NewTextHandler(&buf, nil), slog.LevelWarn})
	log.Info("connection accepted")
	log.Warn("Response header: length: 121, id: 55, response_to: 59, opcode: OP_MSG")
	log.Warn("Response message:\n{\"ok\": 0.0}")
	log.Warn("disk almost full")
	if got := buf.String(); strings.Contains(got, "Response") || strings.Contains(got, "accepted") || !strings.Contains(got, "disk almost full") {
		t.Errorf("engine log = %q, want only the warning in words", got)
	}
}
