package publishertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// RefusedURL returns the URL of a server that has just closed: a dial
// there is refused, so a request to it is never sent.
func RefusedURL(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// Silent is a server that takes every request and never answers: the
// request has arrived (the platform may have acted on it), and the client
// can only give up.
type Silent struct {
	*httptest.Server
	// Arrived gets one value per request, once its body has been read
	// (it holds the first 100; later ones are not reported).
	Arrived chan struct{}
}

// NewSilent starts a Silent server that stops when t ends. Each handler
// reads the body first (net/http notices a client hanging up only after
// that) and returns when the client gives up or the test ends.
func NewSilent(t testing.TB) *Silent {
	t.Helper()
	s := &Silent{Arrived: make(chan struct{}, 100)}
	done := make(chan struct{})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case s.Arrived <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(done) }) // runs first: frees the handlers Close waits for
	return s
}

// NewDropping starts a server that reads each request whole and then
// closes the connection without a word: the request arrived, the answer
// never comes. It stops when t ends.
func NewDropping(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("dropping server: %v", err)
			return
		}
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv
}
