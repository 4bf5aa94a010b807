package api

import (
	"fmt"
	"testing"
	"time"
)

// TestSourceLimiterMemoryIsBounded: a flood from more addresses than the
// limiter holds never grows it past MaxSources (plus the shared overflow
// bucket); new sources then share one bucket, and sources back at full
// burst make room again.
func TestSourceLimiterMemoryIsBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l := newSourceLimiter(3, time.Second, 100, func() time.Time { return now })
	for i := range 1000 {
		l.allow(fmt.Sprintf("198.51.100.%d", i))
		if n := l.size(); n > 101 {
			t.Fatalf("%d sources held after %d addresses", n, i+1)
		}
	}
	// The overflow bucket took the 900 new sources: it is spent.
	if ok, wait := l.allow("203.0.113.1"); ok || wait <= 0 {
		t.Fatalf("a new source while full: allowed %v, wait %v", ok, wait)
	}
	// A source it holds keeps its own bucket.
	if ok, _ := l.allow("198.51.100.5"); !ok {
		t.Fatal("a known source was refused")
	}
	now = now.Add(time.Hour) // every bucket full again: they are dropped to make room
	if ok, _ := l.allow("203.0.113.1"); !ok || l.size() != 1 {
		t.Fatalf("after the flood: allowed %v, %d sources", ok, l.size())
	}
}

// TestSourceLimiterBurstAndRate: burst requests pass at once, then one per
// interval, and the wait told is the time to the next one.
func TestSourceLimiterBurstAndRate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l := newSourceLimiter(5, 2*time.Second, 10, func() time.Time { return now })
	for i := range 5 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 2*time.Second {
		t.Fatalf("past the burst: allowed %v, wait %v", ok, wait)
	}
	now = now.Add(wait)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("refused after the wait")
	}
	if ok, _ := l.allow("a"); ok {
		t.Fatal("two requests in one interval after the burst")
	}
}

// TestSourceGroupsIPv6ByNetwork: an IPv6 client is its /64, an IPv4
// client its address.
func TestSourceGroupsIPv6ByNetwork(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.7":         "203.0.113.7",
		"2001:db8:1:2::10":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ff::99": "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":  "203.0.113.7",
		"not-an-ip":           "not-an-ip",
	} {
		if got := Source(in); got != want {
			t.Errorf("Source(%q) = %q, want %q", in, got, want)
		}
	}
}
