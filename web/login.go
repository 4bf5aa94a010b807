package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/edge"
)

// loginData is the sign-in page's content.
type loginData struct {
	CSRF     string
	Next     string
	Username string
	// Error is a catalogue key: wrong credentials, or too many attempts.
	Error string
	// Ended says that the browser's session ended (?ended=1, toLogin).
	Ended bool
}

// loginPage shows the sign-in form; a signed-in visitor goes straight on.
func (s *Server) loginPage(c *gin.Context) {
	next := localPath(c.Query("next"), "")
	if s.viewer(c) {
		p := principal(c)
		c.Redirect(http.StatusSeeOther, landing(next, p.Role, p.StationIDs, p.MustChangePassword))
		return
	}
	d := loginData{CSRF: s.loginCSRF(c), Next: next, Ended: c.Query("ended") != ""}
	s.render(c, http.StatusOK, pageLogin, s.newView(c, "login.title", d))
}

// login checks the credentials with accounts.Service.Login — the same call,
// limiter and session token as POST /api/v1/auth/login — and sets the session
// cookie, then leads to the user's landing page. Wrong credentials (and a
// disabled account: the same answer) show the form again (401); too many
// failures show the limiter's message (429).
func (s *Server) login(c *gin.Context) {
	if !edge.SameOrigin(c.Request, s.baseHost) || !validLoginCSRF(c) {
		s.errorPage(c, http.StatusForbidden, "error.csrf")
		return
	}
	form := c.Request.PostForm
	d := loginData{CSRF: s.loginCSRF(c), Next: localPath(form.Get("next"), ""), Username: form.Get("username")}
	token, u, err := s.Accounts.Login(c, form.Get("username"), form.Get("password"), c.ClientIP())
	switch {
	case errors.Is(err, accounts.ErrRateLimited):
		d.Error = "login.rate_limited"
		s.render(c, http.StatusTooManyRequests, pageLogin, s.newView(c, "login.title", d))
		return
	case errors.Is(err, apperr.ErrUnauthenticated):
		d.Error = "login.wrong"
		s.render(c, http.StatusUnauthorized, pageLogin, s.newView(c, "login.title", d))
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	s.setSession(c, token, int(s.Accounts.SessionTTL().Seconds()))
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRFCookie, Path: "/login", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookie, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, landing(d.Next, u.Role, u.StationIDs, u.MustChangePassword))
}

// passwordFormPath is the account page's password form, where a user whose
// password an admin reset is sent until they choose a new one.
const passwordFormPath = "/account#password"

// landing is where signing in leads: the password form while a reset
// password must change; else the page asked for (next); else an operator's
// own station's rundown, or the station chooser when they have several or
// none (it says when none is assigned); else home (an editor's own work,
// the calendar for the others).
func landing(next string, role accounts.Role, stationIDs []string, mustChange bool) string {
	switch {
	case mustChange:
		return passwordFormPath
	case next != "":
		return next
	case role == accounts.RoleOperator && len(stationIDs) == 1:
		return "/stations/" + url.PathEscape(stationIDs[0]) + "/rundown"
	case role == accounts.RoleOperator:
		return "/stations"
	}
	return "/" // home: an editor's own work, the calendar for the others (home.go)
}

// setSession sets (or, with maxAge -1, clears) the session cookie with the
// same attributes as the API's sign-in.
func (s *Server) setSession(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: edge.SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureCookie, SameSite: http.SameSiteLaxMode})
}
