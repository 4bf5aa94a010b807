package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"
)

// csrfField is the hidden field every form carries.
const csrfField = "csrf"

// loginCSRFCookie holds the sign-in form's token before there is a session
// (a double-submit value: the form must echo the cookie).
const loginCSRFCookie = "lantoa_login_csrf"

// csrfToken is the CSRF token of a signed-in session: an HMAC keyed by the
// session's secret token. Only someone who holds the session can compute it,
// every replica computes the same one with no shared state, it survives
// restarts, and it changes with each sign-in. The cookie itself is HttpOnly,
// so a script on another site can read neither.
func csrfToken(session string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("lantoa web csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether got is the session's CSRF token.
func validCSRF(session, got string) bool {
	return session != "" && got != "" && hmac.Equal([]byte(got), []byte(csrfToken(session)))
}

// loginCSRF returns the sign-in form's token, setting its cookie when the
// browser has none yet (an existing one is kept, so two open tabs both work).
func (s *Server) loginCSRF(c *gin.Context) string {
	if v, err := c.Cookie(loginCSRFCookie); err == nil && len(v) == 43 {
		return v
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRFCookie, Value: v, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.secureCookie, SameSite: http.SameSiteLaxMode})
	return v
}

// validLoginCSRF reports whether the posted sign-in form echoes its cookie.
func validLoginCSRF(c *gin.Context) bool {
	v, err := c.Cookie(loginCSRFCookie)
	got := c.Request.PostForm.Get(csrfField)
	return err == nil && v != "" && hmac.Equal([]byte(v), []byte(got))
}
