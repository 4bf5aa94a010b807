// Package apptest builds the real service over a test database for
// end-to-end tests: the real router, domain packages and embedded store
// (storetest), an httptest server, and helpers to sign in as each role.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// Password is every test user's password.
const Password = "test-password-123"

// Env is one running service over its own database.
type Env struct {
	T      testing.TB
	App    *app.App
	DB     *mongo.Database
	Server *httptest.Server
	Config *config.Config
	Clock  *Clock

	mu     sync.Mutex
	tokens map[string]string
}

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// Option changes the environment's configuration before the service starts.
type Option func(*config.Config)

// New starts the service over a fresh database. The clock starts at
// 2026-11-20 09:00 in Asia/Ho_Chi_Minh unless the test sets it.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return NewOn(t, storetest.DB(t), opts...)
}

// NewOn starts the service over db (to restart a service on the same data).
func NewOn(t testing.TB, db *mongo.Database, opts ...Option) *Env {
	t.Helper()
	// The server's address is taken before the service is built, so that
	// the base URL is the test server itself: every link the service makes
	// (QR codes, media URLs, the support page) can be followed.
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	// The outbox stands in for Facebook and Zalo without credentials, as
	// in demos; tests of posting by hand turn it off (Config.Outbox).
	cfg, err := config.Load("test", []string{"--admin-password", Password, "--data", t.TempDir(), "--outbox", "1",
		"--base-url", "http://" + srv.Listener.Addr().String()}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(cfg)
	}
	clk := &Clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, cfg.Location)}
	e := &Env{T: t, DB: db, Config: cfg, Clock: clk, tokens: map[string]string{}}
	e.App, err = app.New(context.Background(), db, app.Options{Config: cfg, Log: slog.New(slog.DiscardHandler),
		Now: clk.Now, Ping: func(ctx context.Context) error { return db.Client().Ping(ctx, nil) }, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config = api.HTTPServer("", e.App.Handler) // the production server's settings and wrapping
	lane := api.FastLane(srv.Listener, srv.Config) // and its listener: the rundown pulls' lane
	srv.Listener = lane
	srv.Start()
	t.Cleanup(func() { srv.Close(); _ = lane.Wait(context.Background()) }) // the lane's last answers too
	e.Server = srv
	return e
}

// Scoped returns a context in the commune's scope, for calling domain
// services directly.
func Scoped(commune string) context.Context {
	return store.WithScope(context.Background(), store.Scope{CommuneID: commune})
}

// User creates (once) a user named after its role in the commune and
// returns a bearer token for it. The admin of lien-minh exists already.
func (e *Env) User(role accounts.Role, commune string, stations ...string) string {
	e.T.Helper()
	name := string(role) + "-" + commune
	if len(stations) > 0 {
		name += "-" + strings.Join(stations, "-")
	}
	return e.UserNamed(name, role, commune, stations...)
}

// UserNamed is User with a chosen username.
func (e *Env) UserNamed(username string, role accounts.Role, commune string, stations ...string) string {
	e.T.Helper()
	e.mu.Lock()
	tok, ok := e.tokens[username]
	e.mu.Unlock()
	if ok {
		return tok
	}
	if username != "admin" {
		_, err := e.App.Accounts.CreateUser(Scoped(commune), accounts.NewUser{Username: username, Password: Password,
			Role: role, DisplayName: "Người dùng " + username, CommuneID: commune, StationIDs: stations})
		if err != nil {
			e.T.Fatalf("creating %s: %v", username, err)
		}
	}
	tok, _, err := e.App.Accounts.Login(context.Background(), username, Password, "test-"+username)
	if err != nil {
		e.T.Fatalf("signing in %s: %v", username, err)
	}
	e.mu.Lock()
	e.tokens[username] = tok
	e.mu.Unlock()
	return tok
}

// Admin returns a token of the first admin (commune lien-minh).
func (e *Env) Admin() string {
	return e.UserNamed("admin", accounts.RoleAdmin, accounts.DefaultCommuneID)
}

// Do sends a request with an optional bearer token and JSON body (a string
// is sent as is, anything else is marshalled) and returns the response with
// its body read.
func (e *Env) Do(method, path, token string, body any) *Response {
	e.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.Server.URL+path, r)
	if err != nil {
		e.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.Send(req)
}

// Send sends a prepared request and reads the response. Like a browser,
// the client asks for gzip when the request names no Accept-Encoding, and
// then hands the body over decoded.
func (e *Env) Send(req *http.Request) *Response {
	e.T.Helper()
	return e.send(http.DefaultClient, req)
}

// SendAsIs sends a prepared request without adding Accept-Encoding, and
// reads the response without decoding its body.
func (e *Env) SendAsIs(req *http.Request) *Response {
	e.T.Helper()
	return e.send(&http.Client{Transport: &http.Transport{DisableCompression: true, DisableKeepAlives: true}}, req)
}

func (e *Env) send(client *http.Client, req *http.Request) *Response {
	e.T.Helper()
	res, err := client.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Response{Response: res, Body: raw, t: e.T}
}

// Response is an HTTP response with its body.
type Response struct {
	*http.Response
	Body []byte
	t    testing.TB
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// Want fails the test unless the status is want.
func (r *Response) Want(want int) *Response {
	r.t.Helper()
	if r.StatusCode != want {
		r.t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.Body)
	}
	return r
}

// ErrorCode returns error.code of an error body ("" if none).
func (r *Response) ErrorCode() string {
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &b)
	return b.Error.Code
}

// UserID returns the id of lien-minh's user username, failing the test
// when there is none.
func (e *Env) UserID(username string) string {
	e.T.Helper()
	list, err := e.App.Accounts.ListUsers(Scoped("lien-minh"))
	if err != nil {
		e.T.Fatal(err)
	}
	for _, u := range list {
		if u.Username == username {
			return u.ID
		}
	}
	e.T.Fatalf("no user %s", username)
	return ""
}
