package web

import (
	"errors"
	"net/http"
	"net/url"

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
	Form        userForm
	Created     string
	MinPassword int
}

type userRow struct {
	Username, DisplayName, RoleKey, Created string
}

type userForm struct {
	Username, DisplayName, Role, CommuneID string
	Errors                                 map[string]string
}

// usersPage lists the users of the commune in scope and offers to add one.
func (s *Server) usersPage(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, userForm{Role: string(accounts.RoleEditor), CommuneID: scope(c), Errors: map[string]string{}})
}

// createUser adds a user with accounts.Service.CreateUser (passwords of at
// least accounts.MinPasswordLength characters), as POST /api/v1/users does.
func (s *Server) createUser(c *gin.Context) {
	form := c.Request.PostForm
	f := userForm{Username: form.Get("username"), DisplayName: form.Get("display_name"),
		Role: form.Get("role"), CommuneID: form.Get("commune_id"), Errors: map[string]string{}}
	if f.CommuneID == "" {
		f.CommuneID = scope(c)
	}
	u, err := s.Accounts.CreateUser(c, accounts.NewUser{Username: f.Username, Password: form.Get("password"),
		Role: accounts.Role(f.Role), DisplayName: f.DisplayName, CommuneID: f.CommuneID})
	var v *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/admin/users?"+url.Values{"created": {u.Username}, "commune": {u.CommuneID}}.Encode())
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
	d := usersData{Communes: communes, Commune: scope(c), Form: f, Created: c.Query("created"),
		MinPassword: accounts.MinPasswordLength}
	for _, o := range communes {
		if o.Value == d.Commune {
			d.CommuneName = o.Label
		}
	}
	for _, r := range accounts.Roles {
		d.Roles = append(d.Roles, option{Value: string(r), Key: "role." + string(r)})
	}
	for _, u := range list {
		d.Users = append(d.Users, userRow{Username: u.Username, DisplayName: u.DisplayName,
			RoleKey: "role." + string(u.Role), Created: u.CreatedAt.In(s.Location).Format("02/01/2006")})
	}
	s.render(c, status, pageAdminUsers, s.newView(c, "users.title", d))
}
