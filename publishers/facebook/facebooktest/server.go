// Package facebooktest is a fake Graph API for one Facebook Page, served by
// httptest. It checks each request the way the real API does (version
// prefix, path, method, content type, access_token equal to the Page token,
// appsecret_proof when a secret is configured, required parameters, a real
// image in the multipart field "source"), answers with the real shapes
// (reference publishing-apis.md §A, §D), sets the rate-limit usage headers,
// records every call, keeps the posts it created and can be told to fail
// (FailNext) or to hang (Hang: the next call that creates a post creates it
// and never answers). Recording, failing and hanging come from
// publishertest.Fake.
package facebooktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/publishertest"
)

// Call is one request the fake received. Form holds query and body
// parameters (credentials included); Files the multipart file parts.
type Call struct {
	Method      string
	Path        string // without the version prefix, e.g. "/123/feed"
	ContentType string // media type only
	Form        url.Values
	Files       map[string]File
	Status      int // 0 while the answer is pending (Hang)
}

// File is a multipart file part.
type File struct {
	Filename    string
	ContentType string // as sent
	Sniffed     string // http.DetectContentType of the bytes
	Size        int
}

// Post is a post on the fake Page, or an unpublished photo.
type Post struct {
	ID        string
	Message   string
	Link      string
	PhotoIDs  []string // attached photos of a feed post
	Photo     bool     // made through /photos
	Published bool
	Created   time.Time
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	publishertest.Fake[Call, Kind]

	// URL is the base a client uses, version included: http://127.0.0.1:port/v25.0
	URL     string
	Version string

	t      testing.TB
	trace  atomic.Int64
	pageID string

	mu         sync.Mutex
	token      string
	tokenState Kind // 0, ExpiredToken or InvalidToken
	secret     string
	now        func() time.Time
	seq        int64
	posts      []*Post
	usage      int
	regainMin  int
	deprecated map[string]bool
	insights   map[string]map[string]any
}

// Option configures a Server.
type Option func(*Server)

// WithAppSecret makes the fake require appsecret_proof for secret.
func WithAppSecret(secret string) Option { return func(s *Server) { s.secret = secret } }

// WithVersion sets the version prefix (default "v25.0").
func WithVersion(v string) Option { return func(s *Server) { s.Version = v } }

// WithUsage sets the usage percentage reported in the headers (default 5).
func WithUsage(pct int) Option { return func(s *Server) { s.usage = pct } }

// WithClock sets the fake's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithDeprecatedMetrics replaces the insights names the fake rejects as
// retired (default post_impressions and post_impressions_unique).
func WithDeprecatedMetrics(names ...string) Option {
	return func(s *Server) {
		s.deprecated = map[string]bool{}
		for _, n := range names {
			s.deprecated[n] = true
		}
	}
}

// New starts a fake Page pageID accepting token; it stops when t ends.
func New(t testing.TB, pageID, token string, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		Version: "v25.0", t: t, pageID: pageID, token: token, now: time.Now,
		usage: 5, regainMin: 5, seq: 1000,
		deprecated: map[string]bool{"post_impressions": true, "post_impressions_unique": true},
		insights:   map[string]map[string]any{},
	}
	for _, o := range opts {
		o(s)
	}
	s.URL = s.Serve(t, http.HandlerFunc(s.serve)) + "/" + s.Version
	return s
}

// Posts returns the published posts, oldest first (unpublished photos are
// left out).
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if p.Published {
			out = append(out, *p)
		}
	}
	return out
}

// RenewToken makes token the valid Page token again.
func (s *Server) RenewToken(token string) {
	s.mu.Lock()
	s.token, s.tokenState = token, 0
	s.mu.Unlock()
}

// SetUsage sets the usage percentage of the following answers.
func (s *Server) SetUsage(pct int) {
	s.mu.Lock()
	s.usage = pct
	s.mu.Unlock()
}

// SetRegainMinutes sets estimated_time_to_regain_access of Throttled
// failures (default 5; 0 leaves it out, so the client must back off).
func (s *Server) SetRegainMinutes(m int) {
	s.mu.Lock()
	s.regainMin = m
	s.mu.Unlock()
}

// SetInsights sets a post's lifetime insights: metric name → a number, or a
// map[string]int for breakdown metrics. Metrics not set are left out of
// answers, as Facebook leaves out metrics without data.
func (s *Server) SetInsights(postID string, values map[string]any) {
	s.mu.Lock()
	s.insights[postID] = values
	s.mu.Unlock()
}

// serve checks the version, records the call, applies a queued failure,
// checks credentials and routes.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	call, ok := s.parse(w, r)
	if !ok {
		return
	}
	idx := s.Record(call)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer s.Amend(idx, func(c *Call) { c.Status = rec.status })
	s.writeUsage(rec)
	if s.failQueued(rec) || !s.authorised(rec, call.Form) {
		return
	}
	s.route(rec, r, call)
}

// parse reads the parameters of r into a Call.
func (s *Server) parse(w http.ResponseWriter, r *http.Request) (Call, bool) {
	prefix := "/" + s.Version
	call := Call{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, prefix)}
	call.ContentType, _, _ = mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(r.URL.Path, prefix+"/") {
		s.writeError(w, http.StatusBadRequest, apiError{Code: 2500, Type: "OAuthException",
			Message: "Unknown path components: " + r.URL.Path})
		return call, false
	}
	var err error
	if call.ContentType == "multipart/form-data" {
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "OAuthException", Message: "(#100) Could not parse the request body"})
		return call, false
	}
	call.Form = cloneValues(r.Form)
	call.Files = files(r)
	return call, true
}

// authorised checks access_token and appsecret_proof like the Graph API.
func (s *Server) authorised(w http.ResponseWriter, f url.Values) bool {
	s.mu.Lock()
	token, state, secret := s.token, s.tokenState, s.secret
	s.mu.Unlock()
	got := f.Get("access_token")
	switch {
	case got == "":
		s.writeError(w, http.StatusBadRequest, apiError{Code: 104, Type: "OAuthException",
			Message: "An access token is required to request this resource."})
	case got != token:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 190, Type: "OAuthException",
			Message: "Invalid OAuth access token - Cannot parse access token"})
	case state != 0:
		s.writeFailure(w, state, s.pageID, 0)
	case secret != "" && f.Get("appsecret_proof") == "":
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "GraphMethodException",
			Message: "API calls from the server require an appsecret_proof argument"})
	case secret != "" && !hmac.Equal([]byte(f.Get("appsecret_proof")), []byte(proof(secret, token))):
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "GraphMethodException",
			Message: "Invalid appsecret_proof provided in the API argument"})
	default:
		return true
	}
	return false
}

func proof(secret, token string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// writeUsage sets the usage headers every Graph answer carries.
func (s *Server) writeUsage(w http.ResponseWriter) {
	s.mu.Lock()
	u := s.usage
	s.mu.Unlock()
	w.Header().Set("X-App-Usage", fmt.Sprintf(`{"call_count":%d,"total_cputime":%d,"total_time":%d}`, u, u/2, u/2))
	w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(
		`{"%s":[{"type":"pages","call_count":%d,"total_cputime":%d,"total_time":%d,"estimated_time_to_regain_access":0}]}`,
		s.pageID, u, u/2, u/2))
}

// recorder remembers the status written.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
