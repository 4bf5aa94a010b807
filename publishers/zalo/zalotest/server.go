// Package zalotest is a fake Zalo OA Open API and OAuth v4 server, served
// by httptest. Like the real one (reference publishing-apis.md §B, §D) it
// answers HTTP 200 with {error, message, data} even on failure, takes the
// OA token from the access_token header, rotates the refresh token on each
// refresh (killing the old refresh token and the previous access token),
// gives expires_in as a string, returns a processing token from
// article/create and the id from article/verify only after some polls,
// limits article/getslice to 10 items, records every call and can be told
// to fail.
package zalotest

import (
	"crypto/rand"
	"encoding/hex"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/publishertest"
)

// Call is one request the fake received.
type Call struct {
	Method      string
	Path        string
	Query       url.Values
	ContentType string // media type only
	AccessToken string // the access_token header
	SecretKey   string // the secret_key header (OAuth)
	Body        []byte // raw body; empty for multipart
	Form        url.Values
}

// Article is an article on the fake OA.
type Article struct {
	ID, Title, Author, Description, CoverURL, Status, Comment string
	Body                                                      []map[string]any
	Created                                                   time.Time
	Views, Shares                                             int
	token                                                     string
	polls                                                     int
}

// Broadcast is a message sent to followers.
type Broadcast struct {
	MessageID  string
	ArticleIDs []string
	Target     map[string]any
}

// Server is the fake. Its methods are safe for concurrent use. Recording,
// failing and hanging (the next article/create stores the article and
// never answers) come from publishertest.Fake.
type Server struct {
	publishertest.Fake[Call, Kind]

	URL       string // API base, e.g. http://127.0.0.1:port
	OAuthURL  string // OAuth base (the same server)
	AppID     string
	AppSecret string

	mu            sync.Mutex
	now           func() time.Time
	refresh       string
	access        string
	accessExpired bool
	refreshCalls  int
	seq           int
	verifyPolls   int
	processingErr int
	articles      []*Article
	broadcasts    []Broadcast
	failVerify    bool
}

// Option configures a Server.
type Option func(*Server)

// WithApp sets the app id and secret the OAuth endpoint expects.
func WithApp(id, secret string) Option { return func(s *Server) { s.AppID, s.AppSecret = id, secret } }

// WithVerifyPolls sets how many article/verify polls answer "processing"
// before the id (default 2).
func WithVerifyPolls(n int) Option { return func(s *Server) { s.verifyPolls = n } }

// WithProcessingError makes "processing" answers carry error code (default
// 0: success without an id; the real code is not documented [?]).
func WithProcessingError(code int) Option { return func(s *Server) { s.processingErr = code } }

// WithClock sets the fake's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// New starts a fake OA; it stops when t ends. InitialRefreshToken gives the
// refresh token a client starts from.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{AppID: "3141592653589793", AppSecret: "zaloAppSecretXYZ", now: time.Now, verifyPolls: 2}
	for _, o := range opts {
		o(s)
	}
	s.refresh = secret("rt")
	s.URL = s.Serve(t, http.HandlerFunc(s.serve))
	s.OAuthURL = s.URL
	return s
}

func secret(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + "SECRET" + hex.EncodeToString(b)
}

// InitialRefreshToken returns the currently valid refresh token (before any
// refresh: the one to configure a client with).
func (s *Server) InitialRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// RefreshCalls counts successful and failed calls to the token endpoint.
func (s *Server) RefreshCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshCalls
}

// Articles returns copies of the OA's articles, oldest first.
func (s *Server) Articles() []Article {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Article, 0, len(s.articles))
	for _, a := range s.articles {
		out = append(out, *a)
	}
	return out
}

// Broadcasts returns the broadcasts sent so far.
func (s *Server) Broadcasts() []Broadcast {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Broadcast(nil), s.broadcasts...)
}

// SetStats sets an article's total_view and total_share.
func (s *Server) SetStats(id string, views, shares int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.articles {
		if a.ID == id {
			a.Views, a.Shares = views, shares
		}
	}
}

// serve records the call, then answers the OAuth endpoint or an API call.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	c := Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		AccessToken: r.Header.Get("access_token"), SecretKey: r.Header.Get("secret_key")}
	c.ContentType, _, _ = mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, form := readBody(r, c.ContentType)
	c.Body, c.Form = body, form
	s.Record(c)
	if c.Path == "/v4/oa/access_token" {
		s.token(w, c)
		return
	}
	if s.failQueued(w) || !s.authorised(w, c) {
		return
	}
	s.route(w, r, c)
}

// authorised checks the access_token header.
func (s *Server) authorised(w http.ResponseWriter, c Call) bool {
	s.mu.Lock()
	access, expired := s.access, s.accessExpired
	s.mu.Unlock()
	switch {
	case c.AccessToken == "" || c.AccessToken != access:
		reply(w, -216, "Access token is invalid", nil)
	case expired:
		reply(w, -216, "Access token has expired", nil)
	default:
		return true
	}
	return false
}

// route answers a checked API call.
func (s *Server) route(w http.ResponseWriter, r *http.Request, c Call) {
	switch {
	case c.Method == http.MethodPost && c.Path == "/v2.0/article/create":
		s.create(w, r, c)
	case c.Method == http.MethodPost && c.Path == "/v2.0/article/verify":
		s.verify(w, c)
	case c.Method == http.MethodGet && c.Path == "/v2.0/article/getslice":
		s.getslice(w, c)
	case c.Method == http.MethodPost && c.Path == "/v2.0/oa/message":
		s.broadcast(w, c)
	case c.Method == http.MethodPost && c.Path == "/v2.0/oa/upload/image":
		s.upload(w, r)
	default:
		reply(w, 404, "You are accessing an empty or invalid API. Please check the url or the method", nil)
	}
}

func (s *Server) nextID(prefix string) string {
	s.seq++
	return prefix + strings.Repeat("0", 3) + itoa(s.seq)
}
