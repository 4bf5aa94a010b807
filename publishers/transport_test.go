package publishers_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

// exchange makes one real request (a POST for a mutation, a GET for a
// read) to target and returns the error the client got.
func exchange(t *testing.T, ctx context.Context, target string, mutation bool) error {
	t.Helper()
	method, body := http.MethodGet, io.Reader(nil)
	if mutation {
		method, body = http.MethodPost, strings.NewReader("message=Ngày 25/11")
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{}).Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("%s %s answered %d, want a transport failure", method, target, resp.StatusCode)
	}
	return err
}

// TestTransportErrorClasses: the sent-or-not rule on real failures. A dial
// that is refused sent nothing (Transient either way); a connection dropped
// after the request arrived, or a client that gave up waiting after it
// arrived, may have left a post behind: Unknown for a mutation, Transient
// for a read.
func TestTransportErrorClasses(t *testing.T) {
	t.Parallel()
	const secret = "EAAGtokenSECRET0042"
	tests := []struct {
		name     string
		fail     func(t *testing.T, mutation bool) error
		notSent  bool
		mutation publishers.Class
	}{
		{"refused dial", func(t *testing.T, mutation bool) error {
			return exchange(t, t.Context(), publishertest.RefusedURL(t)+"/feed?access_token="+secret, mutation)
		}, true, publishers.Transient},
		{"dropped connection", func(t *testing.T, mutation bool) error {
			return exchange(t, t.Context(), publishertest.NewDropping(t).URL+"/feed?access_token="+secret, mutation)
		}, false, publishers.Unknown},
		{"gave up waiting after sending", func(t *testing.T, mutation bool) error {
			srv := publishertest.NewSilent(t)
			ctx, cancel := context.WithCancel(t.Context())
			go func() { <-srv.Arrived; cancel() }()
			return exchange(t, ctx, srv.URL+"/feed?access_token="+secret, mutation)
		}, false, publishers.Unknown},
	}
	for _, tt := range tests {
		for _, mutation := range []bool{true, false} {
			want := publishers.Transient
			if mutation {
				want = tt.mutation
			}
			t.Run(tt.name+map[bool]string{true: " (mutation)", false: " (read)"}[mutation], func(t *testing.T) {
				t.Parallel()
				err := tt.fail(t, mutation)
				if got := publishers.NotSent(err); got != tt.notSent {
					t.Errorf("NotSent(%v) = %v, want %v", err, got, tt.notSent)
				}
				if got := publishers.TransportClass(err, mutation); got != want {
					t.Errorf("TransportClass(%v, %v) = %v, want %v", err, mutation, got, want)
				}
				e := publishers.TransportError(err, mutation, func(s string) string { return publishers.Redact(s, "never-there") })
				if e.Class != want || e.Err == nil {
					t.Errorf("TransportError = %+v, want class %v wrapping the cause", e, want)
				}
				var ue *url.Error
				if strings.Contains(e.Error(), secret) || !errors.As(e, &ue) || strings.Contains(ue.URL, "?") {
					t.Errorf("TransportError keeps the URL's query: %v", e)
				}
			})
		}
	}
}

// TestNotSentOnDialAndNameErrors: the errors net gives when no connection
// was made, wrapped as http.Client wraps them.
func TestNotSentOnDialAndNameErrors(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return &url.Error{Op: "Post", URL: "https://graph.example/feed", Err: err} }
	for name, c := range map[string]struct {
		err  error
		want bool
	}{
		"dial timed out":    {wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}), true},
		"host not found":    {wrap(&net.DNSError{Err: "no such host", Name: "graph.example", IsNotFound: true}), true},
		"read reset":        {wrap(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}), false},
		"EOF":               {wrap(io.EOF), false},
		"context cancelled": {wrap(context.Canceled), false},
	} {
		if got := publishers.NotSent(c.err); got != c.want {
			t.Errorf("%s: NotSent = %v, want %v", name, got, c.want)
		}
	}
}

func TestStatusClass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status         int
		mutation, read publishers.Class
	}{
		{http.StatusFound, publishers.Permanent, publishers.Permanent},
		{http.StatusBadRequest, publishers.Permanent, publishers.Permanent},
		{http.StatusUnauthorized, publishers.Permanent, publishers.Permanent},
		{http.StatusNotFound, publishers.Permanent, publishers.Permanent},
		{http.StatusRequestTimeout, publishers.Transient, publishers.Transient},
		{http.StatusTooManyRequests, publishers.Throttled, publishers.Throttled},
		{http.StatusInternalServerError, publishers.Transient, publishers.Transient},
		{http.StatusBadGateway, publishers.Transient, publishers.Transient},
		{http.StatusServiceUnavailable, publishers.Transient, publishers.Transient},
		{http.StatusGatewayTimeout, publishers.Unknown, publishers.Transient},
	}
	for _, tt := range tests {
		if got := publishers.StatusClass(tt.status, true); got != tt.mutation {
			t.Errorf("HTTP %d on a mutation: %v, want %v", tt.status, got, tt.mutation)
		}
		if got := publishers.StatusClass(tt.status, false); got != tt.read {
			t.Errorf("HTTP %d on a read: %v, want %v", tt.status, got, tt.read)
		}
	}
}

func TestUndecodable(t *testing.T) {
	t.Parallel()
	cause := errors.New("invalid character 't' in token tokSECRET123")
	redact := func(s string) string { return publishers.Redact(s, "tokSECRET123") }
	m := publishers.Undecodable(cause, true, "Zalo", redact)
	r := publishers.Undecodable(cause, false, "Zalo", redact)
	if m.Class != publishers.Unknown || r.Class != publishers.Transient || !errors.Is(m, cause) {
		t.Errorf("classes %v (mutation) %v (read), want unknown and transient, wrapping the cause", m.Class, r.Class)
	}
	if want := "undecodable Zalo answer: invalid character 't' in token [redacted]"; m.Message != want {
		t.Errorf("message %q, want %q", m.Message, want)
	}
	if publishers.AnsweredClass(true) != publishers.Unknown || publishers.AnsweredClass(false) != publishers.Transient {
		t.Error("AnsweredClass disagrees with Undecodable")
	}
}

func TestSafeURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, safe string }{
		{"https://user:pw@portal.example.vn/hook?key=SECRET#frag", "https://portal.example.vn/hook"},
		{"http://127.0.0.1:8080/v25.0/1/feed?", "http://127.0.0.1:8080/v25.0/1/feed"},
		{"https://graph.example/v25.0/1/feed", "https://graph.example/v25.0/1/feed"},
		{"http://[::1:bad", "(invalid URL)"},
	}
	for _, tt := range tests {
		if got := publishers.SafeURL(tt.raw); got != tt.safe {
			t.Errorf("SafeURL(%q) = %q, want %q", tt.raw, got, tt.safe)
		}
	}
}
