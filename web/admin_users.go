package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
)

// usersData is the users page's content.
type usersData struct {
	Users       []userRow
	Communes    []option
	Commune     string
	CommuneName string
	Roles       []option
	// Stations are the commune's stations, offered to operators.
	Stations    []stationCheck
	StationsURL string
	// StationsError is the station boxes' error (a catalogue key).
	StationsError string
	Form          userForm
	Created       string
	MinPassword   int
}

// userRow is one user as the list and the edit page show them.
type userRow struct {
	Username, DisplayName, RoleKey, Created string
	EditURL                                 string
	// StateKey names the state: active, disabled or must change password.
	StateKey, StateClass string
	// LastSignIn is the time of the last sign-in ("" before the first).
	LastSignIn string
	// Stations names an operator's stations.
	Stations string
}

// stationCheck is one station checkbox of a user form.
type stationCheck struct {
	ID, Label string
	Checked   bool
}

type userForm struct {
	Username, DisplayName, Role, CommuneID string
	StationIDs                             []string
	Errors                                 map[string]string
}

// usersPage lists the users of the commune in scope and offers to add one.
func (s *Server) usersPage(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, userForm{Role: string(accounts.RoleEditor), CommuneID: scope(c), Errors: map[string]string{}})
}

// createUser adds a user with accounts.Service.CreateUser (passwords of at
// least accounts.MinPasswordLength characters; stations for operators), as
// POST /api/v1/users does.
func (s *Server) createUser(c *gin.Context) {
	form := c.Request.PostForm
	f := userForm{Username: form.Get("username"), DisplayName: form.Get("display_name"),
		Role: form.Get("role"), CommuneID: form.Get("commune_id"), Errors: map[string]string{}}
	if f.CommuneID == "" {
		f.CommuneID = scope(c)
	}
	if f.Role == string(accounts.RoleOperator) {
		f.StationIDs = form["station_ids"] // the boxes stay hidden, and are ignored, for other roles
	}
	u, err := s.Accounts.CreateUser(c, accounts.NewUser{Username: f.Username, Password: form.Get("password"),
		Role: accounts.Role(f.Role), DisplayName: f.DisplayName, CommuneID: f.CommuneID, StationIDs: f.StationIDs,
		CreatedBy: principal(c).Username})
	var v *apperr.ValidationError
	switch {
	case err == nil:
		// #top: the form's #new-user would carry over the redirect and hide the notice.
		c.Redirect(http.StatusSeeOther, "/admin/users?"+url.Values{"created": {u.Username}, "commune": {u.CommuneID}}.Encode()+"#top")
	case errors.As(err, &v):
		f.Errors[v.Field] = "err.user_" + v.Field
		s.renderUsers(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, apperr.ErrConflict):
		f.Errors["username"] = "err.user_taken"
		s.renderUsers(c, http.StatusUnprocessableEntity, f)
	default:
		s.fail(c, err)
	}
}

func (s *Server) renderUsers(c *gin.Context, status int, f userForm) {
	list, err := s.Accounts.ListUsers(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	communes, err := s.communeOptions(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	checks, names, err := s.stationChecks(c, f.StationIDs)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "users.title", nil)
	d := usersData{Communes: communes, Commune: scope(c), Form: f, Created: c.Query("created"),
		MinPassword: accounts.MinPasswordLength, Roles: roleOptions(), Stations: checks, StationsURL: v.Link("/admin/stations"),
		StationsError: f.Errors["station_ids"]}
	for _, o := range communes {
		if o.Value == d.Commune {
			d.CommuneName = o.Label
		}
	}
	for _, u := range list {
		d.Users = append(d.Users, s.userRow(v, u, names))
	}
	v.Data = d
	s.render(c, status, pageAdminUsers, v)
}

// userRow describes u for the pages; names are the commune's stations by id.
func (s *Server) userRow(v *view, u accounts.User, names map[string]string) userRow {
	r := userRow{Username: u.Username, DisplayName: u.DisplayName, RoleKey: "role." + string(u.Role),
		Created: u.CreatedAt.In(s.Location).Format("02/01/2006"), EditURL: v.Link("/admin/users/" + url.PathEscape(u.ID)),
		StateKey: "users.state_active", StateClass: "active"}
	switch {
	case u.Disabled:
		r.StateKey, r.StateClass = "users.state_disabled", "disabled"
	case u.MustChangePassword:
		r.StateKey, r.StateClass = "users.state_must_change", "must-change"
	}
	if u.LastSignInAt != nil {
		r.LastSignIn = s.clock(*u.LastSignInAt)
	}
	var st []string
	for _, id := range u.StationIDs {
		st = append(st, cmp.Or(names[id], id))
	}
	r.Stations = strings.Join(st, ", ")
	return r
}

// stationChecks returns the scope commune's stations as checkboxes, those
// of checked ticked, and their names by id.
func (s *Server) stationChecks(c *gin.Context, checked []string) ([]stationCheck, map[string]string, error) {
	list, err := s.Stations.List(c)
	if err != nil {
		return nil, nil, err
	}
	sortStations(list)
	names := map[string]string{}
	var out []stationCheck
	for _, st := range list {
		label := st.Name
		if st.Village != "" && !strings.Contains(st.Name, st.Village) {
			label += " · " + st.Village
		}
		names[st.ID] = st.Name
		out = append(out, stationCheck{ID: st.ID, Label: label, Checked: slices.Contains(checked, st.ID)})
	}
	return out, names, nil
}

func roleOptions() []option {
	var out []option
	for _, r := range accounts.Roles {
		out = append(out, option{Value: string(r), Key: "role." + string(r)})
	}
	return out
}

// clock formats t in the commune's time zone as the pages show times.
func (s *Server) clock(t time.Time) string { return t.In(s.Location).Format("15:04 02/01/2006") }
