package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/store"
)

const sessionCookie = edge.SessionCookie

// logRequests logs one line per request: never the query string, which may
// carry a calendar token, and never headers.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	status, level := c.Writer.Status(), slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if s.Metrics != nil {
		s.Metrics.HTTPDuration.WithLabelValues(route, c.Request.Method, statusClass(status)).Observe(took.Seconds())
	}
	if !s.Log.Enabled(c, level) {
		return
	}
	// The record is made here rather than by Logger.LogAttrs, which asks
	// the runtime for its caller on every line, though the handler never
	// writes it.
	r := slog.NewRecord(start.Add(took), level, "http", 0)
	r.AddAttrs(slog.String("request_id", edge.RequestID(c)), slog.String("method", c.Request.Method),
		slog.String("route", route), slog.Int("status", status), slog.Int("bytes", c.Writer.Size()),
		slog.Int64("us", took.Microseconds())) // an integer: slog writes floats through encoding/json
	_ = s.Log.Handler().Handle(c, r)
}

// statusClass is the metrics label of a status code: "2xx" and so on.
func statusClass(status int) string {
	if status >= 100 && status < 600 {
		return statusClasses[status/100-1]
	}
	return fmt.Sprintf("%dxx", status/100)
}

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// recover turns a panic into a 500 with the error shape.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			fail(c, s.Log, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}
	}()
	c.Next()
}

// authorize enforces a route's Access: authentication, CSRF for cookie
// sessions, the role, and the commune scope put into the request context.
func (s *Server) authorize(rt Route) gin.HandlerFunc {
	route := rt.Method + " " + rt.Path // what a station token's use is counted under
	return func(c *gin.Context) {
		if rt.Access.Public {
			c.Next()
			return
		}
		p, byCookie, err := s.authenticate(c, rt.Access.CalendarToken)
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		if byCookie && !edge.SafeMethod(c.Request.Method) && !s.sameOrigin(c.Request) {
			abort(c, http.StatusForbidden, "cross_site", "cross-site request refused")
			return
		}
		if p.TokenKind == accounts.KindStation {
			s.Accounts.NoteUse(p, route)
			if rt.Access.StationToken && !slices.Contains(p.StationIDs, c.Param("id")) {
				abort(c, http.StatusForbidden, "forbidden", "this station token belongs to another station")
				return
			}
		}
		scope, err := edge.Authorize(c, s.Accounts, p, rt.Access, query(c, "commune"))
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		c.Request = c.Request.WithContext(withPrincipal(store.WithScope(c.Request.Context(), scope), p))
		c.Next()
	}
}

// authenticate finds the caller from a bearer token (a session or a
// station device's token), the session cookie or, where allowed, a calendar
// token in ?token=. Which routes a station token opens is authorize's call.
func (s *Server) authenticate(c *gin.Context, calendar bool) (accounts.Principal, bool, error) {
	if h := c.GetHeader("Authorization"); strings.HasPrefix(h, "Bearer ") {
		p, err := s.Accounts.Authenticate(c, strings.TrimPrefix(h, "Bearer "), accounts.KindSession, accounts.KindStation)
		return p, false, err
	}
	if t := c.Query("token"); calendar && t != "" {
		p, err := s.Accounts.Authenticate(c, t, accounts.KindCalendar, accounts.KindSession)
		return p, false, err
	}
	ck, _ := c.Cookie(sessionCookie)
	p, err := s.Accounts.Authenticate(c, ck, accounts.KindSession)
	return p, true, err
}

// sameOrigin reports whether a cookie-authenticated unsafe request comes
// from our own pages: its Origin (or, lacking one, its Referer) must be this
// host or the configured base URL's host.
func (s *Server) sameOrigin(r *http.Request) bool { return edge.SameOrigin(r, s.baseHost) }

// principal returns the authenticated caller; authorize guarantees one on
// every non-public route.
func principal(c *gin.Context) accounts.Principal {
	return *c.Request.Context().Value(principalKey{}).(*accounts.Principal)
}

// withPrincipal puts the caller into the request's context: one
// allocation, where gin's Keys would be a map and a boxed copy.
func withPrincipal(ctx context.Context, p accounts.Principal) context.Context {
	return &principalCtx{ctx, p}
}

type principalKey struct{}

type principalCtx struct {
	context.Context
	p accounts.Principal
}

func (c *principalCtx) Value(key any) any {
	if key == (principalKey{}) {
		return &c.p // a pointer: no copy to box
	}
	return c.Context.Value(key)
}
