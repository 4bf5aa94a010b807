// Package api is the JSON HTTP surface of Lan Tỏa (SPEC §5): the Gin router,
// its middleware (request ids, logging, recovery, authentication, roles,
// CSRF) and thin handlers that decode, call a domain package and encode.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/byhand"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/metrics"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scriptaudio"
	"github.com/lantoa/lantoa/stations"
)

// Deps are what the handlers call.
type Deps struct {
	Accounts  *accounts.Service
	Campaigns *campaigns.Service
	Stations  *stations.Service
	// Deliveries lists deliveries and retries them; Dispatch reports the
	// channels' state and resumes paused ones.
	Deliveries *deliveries.Service
	Dispatch   *dispatch.Dispatcher
	Reach      *reach.Service
	Rundowns   *rundown.Service
	Metrics    *metrics.Metrics
	// MetricsToken, when set, must be presented to read /metrics.
	MetricsToken string
	// Poller reads the platforms' reach statistics (POST /api/v1/reach/poll).
	Poller *reach.Poller
	// LeafletImage, when set, gives the public URL of an item's leaflet
	// image (its facebook variant) for the Atom feed's enclosures.
	LeafletImage func(ctx context.Context, itemID string) (string, error)
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed by ClientIP; nil trusts none (the login limiter keys on it).
	TrustedProxies []string
	// Media stores uploads and leaflets, and serves /media and /q.
	Media *media.Service
	// ByHand is publishing by hand: the posts waiting for an editor.
	ByHand *byhand.Service
	// Plans gives the plan template, imports plans and exports them.
	Plans *plans.Service
	// Audio is the sound of loudspeaker scripts (SPEC §6.3).
	Audio *scriptaudio.Service
	// Now is the clock of the public routes' rate limits; nil means time.Now.
	Now func() time.Time
	// Ping reports whether the database answers (for /readyz).
	Ping    func(context.Context) error
	Log     *slog.Logger
	BaseURL string
	Version string
}

// Server is the API's handlers and their dependencies.
type Server struct {
	Deps
	secureCookie bool
	baseHost     string
	feeds        feedCache
	scanLimit    *sourceLimiter // GET /q/:code, per source
	feedLimit    *sourceLimiter // GET /feed.atom, per source
}

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// New builds the Gin engine with every route of Routes registered.
func New(d Deps) *gin.Engine {
	s := &Server{Deps: d}
	if s.Now == nil {
		s.Now = time.Now
	}
	s.scanLimit = newSourceLimiter(ScanBurst, ScanEvery, MaxSources, s.Now)
	s.feedLimit = newSourceLimiter(FeedBurst, FeedEvery, MaxSources, s.Now)
	if u, err := url.Parse(d.BaseURL); err == nil {
		s.secureCookie, s.baseHost = u.Scheme == "https", u.Host
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		// config validated them; fall back to trusting none, never all
		_ = r.SetTrustedProxies(nil)
	}
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	// Compress comes after recover, so that a panic's answer goes out
	// through the real writer, and after the log, which counts the bytes
	// sent.
	r.Use(edge.RequestIDs, edge.SecurityHeaders, s.logRequests, s.recover, edge.Compress(IsHead))
	r.NoRoute(edge.NoRoute)
	r.NoMethod(edge.NoMethod)
	for _, rt := range s.Routes() {
		r.Handle(rt.Method, rt.Path, s.authorize(rt), rt.Handler)
	}
	return r
}

// HTTPServer wraps h in an http.Server with every timeout set.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           HeadAsGet(h),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ConnContext:       func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
	}
}

// connKey finds the request's connection in its context (HTTPServer puts
// it there), for handlers that tune how their response leaves (whole).
type connKey struct{}

// requestConn is the request's connection, or nil when the server did not
// record it (tests calling the handler directly).
func requestConn(c *gin.Context) net.Conn {
	conn, _ := c.Request.Context().Value(connKey{}).(net.Conn)
	return conn
}

// decode reads a JSON body of at most maxJSONBody bytes into v: one JSON
// value and nothing after it but white space (a second object, or anything
// else trailing, is refused rather than silently ignored).
func decode(c *gin.Context, v any) error {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	err := dec.Decode(v)
	if err == nil {
		if extra := dec.Decode(&json.RawMessage{}); extra != io.EOF {
			var tooBig *http.MaxBytesError
			if errors.As(extra, &tooBig) {
				return extra
			}
			return apperr.Invalid("body", "unexpected data after the JSON value at byte %d", dec.InputOffset())
		}
	}
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return err
	case errors.Is(err, io.EOF):
		return apperr.Invalid("body", "a JSON object is required")
	case errors.As(err, &typ):
		return apperr.Invalid(typ.Field, "must be of type %s", typ.Type)
	case errors.As(err, &syntax):
		return apperr.Invalid("body", "malformed JSON at byte %d", syntax.Offset)
	default:
		return apperr.Invalid("body", "malformed JSON")
	}
}

// HeadAsGet answers HEAD for every GET route: the request is routed as a
// GET (the same authorization, the same headers, Content-Length included)
// and net/http, which still sees the HEAD, sends no body. Monitors and
// link checkers ask with HEAD; a GET handler with a side effect (counting a
// QR scan) asks IsHead and leaves it out.
func HeadAsGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.Clone(context.WithValue(r.Context(), headKey{}, true))
			r.Method = http.MethodGet
		}
		h.ServeHTTP(w, r)
	})
}

type headKey struct{}

// IsHead reports whether the request, routed as a GET, came as a HEAD.
func IsHead(c *gin.Context) bool {
	head, _ := c.Request.Context().Value(headKey{}).(bool)
	return head
}
