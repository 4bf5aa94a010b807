package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
)

// userEditData is one user's page: their details, role and stations, their
// state, and a temporary password.
type userEditData struct {
	User     userRow
	Form     userEditForm
	Roles    []option
	Stations []stationCheck
	// StationsURL leads to the stations page when the commune has none.
	StationsURL string
	// StationsError is the station boxes' error (a catalogue key).
	StationsError string
	// Self: the admin's own account, which they may not disable.
	Self     bool
	Disabled bool
	// Notice says what was just done (a catalogue key).
	Notice string
	// StateError says why the state could not change (a catalogue key).
	StateError string
	// TempPassword is the temporary password just set, shown this once;
	// Suggested is a random one the admin may keep or overwrite.
	TempPassword, Suggested, PasswordError string
	MinPassword                            int
	Action, StateAction, PasswordAction    string
	BackURL                                string
}

type userEditForm struct {
	DisplayName, Role string
	Errors            map[string]string
}

var userNotices = map[string]string{"saved": "users.saved", "disabled": "users.disabled_done", "enabled": "users.enabled_done"}

// userPage shows a user of the commune in scope with the forms that change
// them.
func (s *Server) userPage(c *gin.Context) {
	u, err := s.Accounts.GetUser(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderUser(c, http.StatusOK, u, userEditForm{DisplayName: u.DisplayName, Role: string(u.Role)}, u.StationIDs,
		func(d *userEditData) { d.Notice = userNotices[c.Query("done")] })
}

// updateUser saves the display name, role and stations with
// accounts.Service.UpdateUser, as PATCH /api/v1/users/:id does. The station
// boxes count only when the role chosen is operator, so that a user made an
// operator in this same form gets the stations ticked.
func (s *Server) updateUser(c *gin.Context) {
	form := c.Request.PostForm
	f := userEditForm{DisplayName: form.Get("display_name"), Role: form.Get("role"), Errors: map[string]string{}}
	role := accounts.Role(f.Role)
	ch := accounts.UserChange{DisplayName: &f.DisplayName, Role: &role}
	ticked := form["station_ids"]
	if role == accounts.RoleOperator {
		ids := append([]string{}, ticked...)
		ch.StationIDs = &ids
	}
	u, err := s.Accounts.UpdateUser(c, principal(c), c.Param("id"), ch)
	var v *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, userURL(c, u.ID, "saved"))
		return
	case errors.As(err, &v):
		f.Errors[v.Field] = "err.user_" + v.Field
	case errors.Is(err, accounts.ErrLastAdmin):
		f.Errors["role"] = "err.user_last_admin"
	default:
		s.fail(c, err)
		return
	}
	s.withUser(c, func(u accounts.User) {
		s.renderUser(c, http.StatusUnprocessableEntity, u, f, ticked, nil)
	})
}

// setUserState disables (disabled=1) or re-enables (disabled=0) a user; the
// page asks for confirmation first. Disabling ends the user's sessions at
// once.
func (s *Server) setUserState(c *gin.Context) {
	disable := c.Request.PostForm.Get("disabled") == "1"
	u, err := s.Accounts.UpdateUser(c, principal(c), c.Param("id"), accounts.UserChange{Disabled: &disable})
	stateErr := ""
	switch {
	case err == nil:
		done := "enabled"
		if disable {
			done = "disabled"
		}
		c.Redirect(http.StatusSeeOther, userURL(c, u.ID, done))
		return
	case errors.Is(err, accounts.ErrOwnAccount):
		stateErr = "err.user_self_disable"
	case errors.Is(err, accounts.ErrLastAdmin):
		stateErr = "err.user_last_admin"
	default:
		s.fail(c, err)
		return
	}
	s.withUser(c, func(u accounts.User) {
		s.renderUser(c, http.StatusConflict, u, userEditForm{DisplayName: u.DisplayName, Role: string(u.Role)}, u.StationIDs,
			func(d *userEditData) { d.StateError = stateErr })
	})
}

// resetPassword sets the temporary password the admin typed or kept (the
// page suggests a random one) with accounts.Service.ResetPassword, and
// shows it this once: it is never in a URL, and the page is not cached.
func (s *Server) resetPassword(c *gin.Context) {
	pw := c.Request.PostForm.Get("password")
	err := s.Accounts.ResetPassword(c, principal(c), c.Param("id"), pw)
	var v *apperr.ValidationError
	if err != nil && !errors.As(err, &v) {
		s.fail(c, err)
		return
	}
	s.withUser(c, func(u accounts.User) {
		status, extra := http.StatusOK, func(d *userEditData) { d.TempPassword = pw }
		if err != nil {
			status, extra = http.StatusUnprocessableEntity, func(d *userEditData) { d.PasswordError = "err.user_password" }
		}
		c.Header("Cache-Control", "no-store")
		s.renderUser(c, status, u, userEditForm{DisplayName: u.DisplayName, Role: string(u.Role)}, u.StationIDs, extra)
	})
}

// withUser reads the user of the page again and calls fn with it.
func (s *Server) withUser(c *gin.Context, fn func(accounts.User)) {
	u, err := s.Accounts.GetUser(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	fn(u)
}

// userURL is the user's page saying what was done, with the commune the
// admin chose kept on.
func userURL(c *gin.Context, id, done string) string {
	return withCommune("/admin/users/"+url.PathEscape(id)+"?done="+done, c.Query("commune")) + "#done"
}

func (s *Server) renderUser(c *gin.Context, status int, u accounts.User, f userEditForm, ticked []string, extra func(*userEditData)) {
	checks, names, err := s.stationChecks(c, ticked)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	v := s.newView(c, "users.edit_title", nil)
	v.Title = u.Username
	base := "/admin/users/" + url.PathEscape(u.ID)
	d := userEditData{User: s.userRow(v, u, names), Form: f, Roles: roleOptions(), Stations: checks,
		StationsURL: v.Link("/admin/stations"), StationsError: f.Errors["station_ids"], Self: u.ID == principal(c).UserID, Disabled: u.Disabled,
		Suggested: accounts.TemporaryPassword(u.Username), MinPassword: accounts.MinPasswordLength,
		Action: v.Link(base), StateAction: v.Link(base + "/state"), PasswordAction: v.Link(base + "/password"),
		BackURL: v.Link("/admin/users")}
	if extra != nil {
		extra(&d)
	}
	v.Data = d
	s.render(c, status, pageAdminUser, v)
}
