package publishertest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Fake is the part every fake platform server shares, embedded in each
// (facebooktest, zalotest): the httptest server, the calls it received
// (of the fake's type C), the failures queued for the next calls (of its
// type K) and the hang switch. Its methods are safe for concurrent use.
type Fake[C, K any] struct {
	release chan struct{}

	mu    sync.Mutex
	calls []C
	fails []K
	hang  bool
}

// Serve serves h on a new httptest server until t ends and returns its
// URL. When t ends, requests left hanging are freed first, or closing the
// server would wait for them forever.
func (f *Fake[C, K]) Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	f.release = make(chan struct{})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(f.release) }) // runs first
	return srv.URL
}

// Record appends c to the calls received and returns its index, for Amend.
func (f *Fake[C, K]) Record(c C) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	return len(f.calls) - 1
}

// Amend changes the recorded call i, e.g. to note its answer.
func (f *Fake[C, K]) Amend(i int, change func(*C)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(&f.calls[i])
}

// Calls returns a copy of the calls received so far.
func (f *Fake[C, K]) Calls() []C {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]C(nil), f.calls...)
}

// FailNext queues failures for the next calls, one kind each, in order.
func (f *Fake[C, K]) FailNext(kinds ...K) {
	f.mu.Lock()
	f.fails = append(f.fails, kinds...)
	f.mu.Unlock()
}

// NextFailure takes the next queued failure, if any.
func (f *Fake[C, K]) NextFailure() (K, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var k K
	if len(f.fails) == 0 {
		return k, false
	}
	k, f.fails = f.fails[0], f.fails[1:]
	return k, true
}

// Hang makes the next call that creates something (the fake says which,
// by asking Hung once it has created it) never answer, until the client
// gives up or the test ends: a crash or a timeout mid-send, after the
// platform acted.
func (f *Fake[C, K]) Hang() {
	f.mu.Lock()
	f.hang = true
	f.mu.Unlock()
}

// Hung reports whether a Hang was armed, disarming it; when it was, it
// first waits until r's client gives up or the test ends, and the caller
// must then write nothing.
func (f *Fake[C, K]) Hung(r *http.Request) bool {
	f.mu.Lock()
	h := f.hang
	f.hang = false
	f.mu.Unlock()
	if h {
		select {
		case <-r.Context().Done():
		case <-f.release:
		}
	}
	return h
}

// MustCalls returns the calls received so far, failing the test at once
// unless there are exactly n (what describes them in the failure).
func (f *Fake[C, K]) MustCalls(t testing.TB, n int, what string) []C {
	t.Helper()
	calls := f.Calls()
	if len(calls) != n {
		t.Fatalf("calls = %d, want %s", len(calls), what)
	}
	return calls
}
