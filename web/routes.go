package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
)

// Route is one row of the pages' route table. Access has the API's meaning:
// public, any signed-in user, or a list of roles. Every page is registered
// from the table, and TestRouteMatrix walks it, so no page can exist without
// a rule.
type Route struct {
	Method  string
	Path    string
	Access  api.Access
	Handler gin.HandlerFunc
}

var (
	public   = api.Access{Public: true}
	signedIn = api.Access{}
)

func roles(r ...accounts.Role) api.Access { return api.Access{Roles: r} }

const (
	admin  = accounts.RoleAdmin
	editor = accounts.RoleEditor
)

// Routes is the web surface's route table. Pages for items, approvals,
// deliveries, rundowns, reach, reports and leaflets join it as those domains
// land; nav.go lists them in the navigation by the same rules.
func (s *Server) Routes() []Route {
	return []Route{
		{http.MethodGet, "/static/:name", public, s.static},
		{http.MethodGet, "/lang", public, s.switchLanguage},
		{http.MethodGet, "/ho-tro", public, s.support},

		{http.MethodGet, "/login", public, s.loginPage},
		{http.MethodPost, "/login", public, s.login},
		{http.MethodPost, "/logout", signedIn, s.logout},

		{http.MethodGet, "/", signedIn, s.home},
		{http.MethodGet, "/calendar", signedIn, s.calendar},
		{http.MethodGet, "/calendar/subscribe", signedIn, s.subscribePage},
		{http.MethodPost, "/calendar/subscribe", signedIn, s.subscribe},

		{http.MethodGet, "/campaigns/new", roles(editor, admin), s.newCampaignPage},
		{http.MethodPost, "/campaigns/new", roles(editor, admin), s.createCampaign},
		{http.MethodGet, "/campaigns/:id", signedIn, s.campaignPage},
		{http.MethodGet, "/campaigns/:id/edit", roles(editor, admin), s.editCampaignPage},
		{http.MethodPost, "/campaigns/:id/edit", roles(editor, admin), s.updateCampaign},

		{http.MethodGet, "/admin/communes", roles(admin), s.communesPage},
		{http.MethodPost, "/admin/communes", roles(admin), s.createCommune},
		{http.MethodGet, "/admin/users", roles(admin), s.usersPage},
		{http.MethodPost, "/admin/users", roles(admin), s.createUser},
	}
}

// access returns the rule of the GET route at path, for the navigation.
func (s *Server) access(path string) (api.Access, bool) {
	for _, r := range s.Routes() {
		if r.Method == http.MethodGet && r.Path == path {
			return r.Access, true
		}
	}
	return api.Access{}, false
}
