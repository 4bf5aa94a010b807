package store

import (
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
