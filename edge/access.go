// Package edge is what Lan Tỏa's two HTTP surfaces share — the JSON API
// (api/) and the server-rendered pages (web/): who may call a route and in
// which commune (Access, Authorize), sessions (SessionCookie), the
// same-origin rule, the security headers, request ids, and the one mapping
// of domain errors to an HTTP answer (Problem, Classify). Each surface
// renders a Problem its own way: the SPEC's JSON error shape, or a page.
package edge

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// Access says who may call a route.
type Access struct {
	// Public routes need no sign-in.
	Public bool
	// Roles that may call it; empty means any signed-in user.
	Roles []accounts.Role
	// CalendarToken lets a read-only calendar token in ?token= sign in.
	CalendarToken bool
	// StationToken lets a station device's bearer token call the route, for
	// its own station only: the route's :id must be that station. A station
	// token on any route without it gets 403.
	StationToken bool
	// DuringPasswordChange keeps the route open to a user whose password
	// was reset and must be changed (reading /me, changing it, signing
	// out); every other route refuses them (accounts.ErrPasswordChangeRequired).
	DuringPasswordChange bool
}

// The common rules.
var (
	Public   = Access{Public: true}
	SignedIn = Access{}
	// WhileResetting is SignedIn, open also while a reset password must be
	// changed.
	WhileResetting = Access{DuringPasswordChange: true}
)

// Roles is the rule of a route open to these roles.
func Roles(r ...accounts.Role) Access { return Access{Roles: r} }

// StationRoute is Roles(r...) plus the station device token of the station
// :id; handlers also keep operators to their own stations.
func StationRoute(r ...accounts.Role) Access { return Access{Roles: r, StationToken: true} }

// SafeMethod reports whether m changes nothing (no CSRF check needed).
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// SessionCookie is the HttpOnly session cookie set by both sign-ins (the API's
// and the web page's); its value is the session's bearer token.
const SessionCookie = "lantoa_session"

// Authorize checks a signed-in caller against a route's Access and returns
// the commune scope the request acts in: the caller's own commune, or the one
// named by commune (the ?commune= parameter) when the caller's role may act
// across communes and that commune exists. A role outside the rule, or a
// foreign commune named by anyone else, gives apperr.ErrForbidden; an unknown
// commune gives apperr.ErrNotFound. A user whose reset password must be
// changed gets accounts.ErrPasswordChangeRequired on every route not open
// DuringPasswordChange: the one place both surfaces apply the rule.
func Authorize(ctx context.Context, accts *accounts.Service, p accounts.Principal, a Access, commune string) (store.Scope, error) {
	if p.MustChangePassword && !a.DuringPasswordChange {
		return store.Scope{}, accounts.ErrPasswordChangeRequired
	}
	if p.TokenKind == accounts.KindStation {
		if !a.StationToken {
			return store.Scope{}, apperr.Forbidden("a station token opens only its station's rundown and airings")
		}
	} else if len(a.Roles) > 0 && !slices.Contains(a.Roles, p.Role) {
		return store.Scope{}, apperr.Forbidden("your role (%s) does not allow this", p.Role)
	}
	if commune == "" || commune == p.CommuneID {
		return store.Scope{CommuneID: p.CommuneID}, nil
	}
	if !p.Role.CrossCommune() {
		return store.Scope{}, apperr.Forbidden("you can act only in your own commune")
	}
	if _, err := accts.GetCommune(ctx, commune); err != nil {
		return store.Scope{}, err
	}
	return store.Scope{CommuneID: commune}, nil
}

// SameOrigin reports whether an unsafe request comes from our own pages: its
// Origin (or, lacking one, its Referer) must name this host or baseHost, the
// host of the configured base URL.
func SameOrigin(r *http.Request, baseHost string) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	u, err := url.Parse(src)
	if src == "" || err != nil || u.Host == "" {
		return false
	}
	return u.Host == r.Host || u.Host == baseHost
}

// ContentSecurityPolicy lets pages load scripts, styles, images and forms from
// this origin only, and never be framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// SecurityHeaders sets the security headers on every response, API and pages
// alike.
func SecurityHeaders(c *gin.Context) {
	// Canonical keys and values made once: this runs on every request.
	h := c.Writer.Header()
	h["Content-Security-Policy"] = cspValue
	h["X-Frame-Options"] = denyValue
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = sameOriginValue
	c.Next()
}

var (
	cspValue        = []string{ContentSecurityPolicy}
	denyValue       = []string{"DENY"}
	nosniffValue    = []string{"nosniff"}
	sameOriginValue = []string{"same-origin"}
)
