package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/store"
)

const (
	principalKey = "web.principal"
	sessionKey   = "web.session"
	lookedUpKey  = "web.session_looked_up"
	// maxFormBody bounds every form a page posts.
	maxFormBody = 64 << 10
)

// authorize enforces a page's Access. Public pages need no session. Other
// pages send signed-out visitors to /login with a 303; unsafe requests must
// be same-origin and carry the session's CSRF token; then edge.Authorize checks
// the role and resolves the commune scope exactly as the API does. A user
// whose reset password must change is sent to the password form from every
// page not open DuringPasswordChange.
func (s *Server) authorize(rt Route) gin.HandlerFunc {
	return func(c *gin.Context) {
		if rt.Access.Public {
			c.Next() // a public page looks the session up only if it shows the user (viewer)
			return
		}
		p, token, err := s.session(c)
		if err != nil && !errors.Is(err, apperr.ErrUnauthenticated) {
			s.fail(c, err)
			return
		}
		if err != nil {
			s.toLogin(c)
			return
		}
		c.Set(principalKey, p)
		c.Set(sessionKey, token)
		if !safeMethod(c.Request.Method) && (!edge.SameOrigin(c.Request, s.baseHost) || !validCSRF(token, c.Request.PostForm.Get(csrfField))) {
			s.errorPage(c, http.StatusForbidden, "error.csrf")
			return
		}
		scope, err := edge.Authorize(c, s.Accounts, p, rt.Access, c.Query("commune"))
		if errors.Is(err, accounts.ErrPasswordChangeRequired) {
			c.Redirect(http.StatusSeeOther, passwordFormPath) // nothing else until it is changed
			c.Abort()
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Request = c.Request.WithContext(store.WithScope(c.Request.Context(), scope))
		c.Next()
	}
}

// session returns the caller behind the session cookie and the cookie's
// token, or apperr.ErrUnauthenticated.
func (s *Server) session(c *gin.Context) (accounts.Principal, string, error) {
	token, err := c.Cookie(edge.SessionCookie)
	if err != nil || token == "" {
		return accounts.Principal{}, "", apperr.ErrUnauthenticated
	}
	p, err := s.Accounts.Authenticate(c, token, accounts.KindSession)
	return p, token, err
}

// toLogin sends a signed-out visitor to the sign-in page, remembering the
// page they wanted when it was a page visit. A browser whose session cookie
// no longer signs in (signed out elsewhere, expired, the account disabled:
// the page does not say which) loses the cookie and is told that the
// session ended.
func (s *Server) toLogin(c *gin.Context) {
	var q []string
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		q = append(q, "next="+url.QueryEscape(c.Request.URL.RequestURI()))
	}
	if ck, err := c.Cookie(edge.SessionCookie); err == nil && ck != "" {
		s.setSession(c, "", -1)
		q = append(q, "ended=1")
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + strings.Join(q, "&")
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// bodyLimit bounds and parses the form of every unsafe request, so that the
// CSRF check and the handlers read c.Request.PostForm.
func (s *Server) bodyLimit(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	var err error
	multipart := strings.HasPrefix(c.ContentType(), "multipart/form-data")
	switch {
	case multipart && c.FullPath() == leafletUploadPath:
		// A photo, read into memory whole (never spooled to disk) up to
		// the upload's limit.
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, leafletUploadLimit)
		err = c.Request.ParseMultipartForm(leafletUploadLimit)
	case multipart && (c.FullPath() == "/items/new" || c.FullPath() == "/items/:id"):
		// The item editor with its photos (item_media.go).
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, itemUploadLimit)
		err = c.Request.ParseMultipartForm(itemUploadMemory)
	case multipart && c.FullPath() == planUploadPath:
		// A plan file (plan_import.go), read into memory whole.
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, planUploadLimit)
		err = c.Request.ParseMultipartForm(planUploadLimit)
	default:
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBody)
		err = c.Request.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.errorPage(c, http.StatusRequestEntityTooLarge, "error.too_large")
			return
		}
		s.errorPage(c, http.StatusBadRequest, "error.bad_form")
		return
	}
	c.Next()
}

// principal returns the signed-in caller; authorize guarantees one on every
// page that is not public.
func principal(c *gin.Context) accounts.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(accounts.Principal)
	return pr
}

// viewer reports whether the request carries a valid session, looking it up
// once on public pages (authorize has on every other), so that the sign-in
// page can send a signed-in user on and the support page can show the
// navigation. On a public page a failed lookup counts as signed out.
func (s *Server) viewer(c *gin.Context) bool {
	if _, ok := c.Get(principalKey); ok {
		return true
	}
	if _, done := c.Get(lookedUpKey); done {
		return false
	}
	c.Set(lookedUpKey, true)
	p, token, err := s.session(c)
	if err != nil {
		return false
	}
	c.Set(principalKey, p)
	c.Set(sessionKey, token)
	return true
}

// scope is the commune the request acts in.
func scope(c *gin.Context) string {
	sc, err := store.ScopeFrom(c.Request.Context())
	if err != nil {
		return principal(c).CommuneID
	}
	return sc.CommuneID
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// localPath returns next when it is a path on this site (not a scheme, not
// another host, not the sign-in page itself), else def: it guards every
// redirect taken from user input against open redirects.
func localPath(next, def string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "" || u.Host != "" || u.User != nil ||
		len(next) < 1 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) ||
		u.Path == "/login" {
		return def
	}
	return next
}
