package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
)

// accountData is the account page: every signed-in user's password, other
// sessions and calendar link.
type accountData struct {
	// MustChange: an admin reset the password; the page shows only the
	// password form, with why.
	MustChange bool
	Notice     string // catalogue key of what was just done
	NoticeArg  int
	Errors     map[string]string
	// OtherSessions counts the user's sessions on other devices.
	OtherSessions int64
	// Continue leads on to the user's work after a password change.
	Continue string
	// CalendarURL and Webcal are a new calendar link, shown once.
	CalendarURL string
	Webcal      template.URL
	MinPassword int
	// Stations names an operator's stations.
	Stations string
}

// accountPage shows the account page (?done= says what was just done).
func (s *Server) accountPage(c *gin.Context) {
	d := accountData{Errors: map[string]string{}}
	switch c.Query("done") {
	case "password":
		d.Notice = "acct.password_done"
	case "sessions":
		d.Notice = "acct.sessions_done"
		d.NoticeArg, _ = strconv.Atoi(c.Query("n"))
	}
	s.renderAccount(c, http.StatusOK, d)
}

// changePassword changes the signed-in user's password with
// accounts.Service.ChangePassword (as POST /api/v1/me/password does): the
// user's other sessions end, this one stays, and a reset password no longer
// holds them on this page.
func (s *Server) changePassword(c *gin.Context) {
	form := c.Request.PostForm
	current, next := form.Get("current_password"), form.Get("new_password")
	d := accountData{Errors: map[string]string{}}
	switch {
	case current == "":
		d.Errors["current_password"] = "err.required"
	case next != form.Get("new_password2"):
		d.Errors["new_password2"] = "acct.err_repeat"
	case next == current:
		d.Errors["new_password"] = "acct.err_same"
	}
	if len(d.Errors) == 0 {
		err := s.Accounts.ChangePassword(c, principal(c), current, next)
		var v *apperr.ValidationError
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, "/account?done=password#done") // the fragment: not the form's
			return
		case errors.Is(err, accounts.ErrRateLimited):
			d.Errors["current_password"] = "acct.err_slow"
		case errors.As(err, &v) && v.Field == "current_password":
			d.Errors["current_password"] = "acct.err_current"
		case errors.As(err, &v):
			d.Errors["new_password"] = "err.user_password"
		default:
			s.fail(c, err)
			return
		}
	}
	s.renderAccount(c, http.StatusUnprocessableEntity, d)
}

// signOutElsewhere ends the user's other sessions
// (accounts.Service.RevokeOtherSessions, POST /api/v1/me/sessions/revoke).
func (s *Server) signOutElsewhere(c *gin.Context) {
	n, err := s.Accounts.RevokeOtherSessions(c, principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/account?done=sessions&n="+strconv.FormatInt(n, 10)+"#done")
}

// renewCalendarLink replaces the user's calendar link with a new one
// (accounts.Service.CalendarToken, POST /api/v1/me/calendar-token) and
// shows it once; the old link stops working.
func (s *Server) renewCalendarLink(c *gin.Context) {
	tok, err := s.Accounts.CalendarToken(c, principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	u := s.BaseURL + "/api/v1/calendar.ics?token=" + url.QueryEscape(tok)
	d := accountData{Errors: map[string]string{}, CalendarURL: u,
		Webcal: template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"))} //nolint:gosec // the configured base URL and a base64url token
	c.Header("Cache-Control", "no-store")
	s.renderAccount(c, http.StatusOK, d)
}

func (s *Server) renderAccount(c *gin.Context, status int, d accountData) {
	p := principal(c)
	d.MustChange, d.MinPassword = p.MustChangePassword, accounts.MinPasswordLength
	d.Continue = landing("", p.Role, p.StationIDs, false)
	if !d.MustChange {
		n, err := s.Accounts.OtherSessions(c, p)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.OtherSessions = n
	}
	if p.Role == accounts.RoleOperator && len(p.StationIDs) > 0 && !d.MustChange {
		list, err := s.Stations.List(c, p.StationIDs...)
		if err != nil {
			s.fail(c, err)
			return
		}
		sortStations(list)
		var names []string
		for _, st := range list {
			names = append(names, st.Name)
		}
		d.Stations = strings.Join(names, ", ")
	}
	v := s.newView(c, "acct.title", d)
	if d.MustChange {
		v.Title = v.T("acct.must_title")
	}
	s.render(c, status, pageAccount, v)
}
