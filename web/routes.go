package web

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/edge"
)

// Route is one row of the pages' route table. Access has the API's meaning:
// public, any signed-in user, or a list of roles. Every page is registered
// from the table, and TestRouteMatrix walks it, so no page can exist without
// a rule.
type Route struct {
	Method  string
	Path    string
	Access  edge.Access
	Handler gin.HandlerFunc
}

var (
	public   = edge.Access{Public: true}
	signedIn = edge.Access{}
	// whileResetting is signedIn, open also while a reset password must be
	// changed: every other page sends such a user to the password form.
	whileResetting = edge.Access{DuringPasswordChange: true}
)

func roles(r ...accounts.Role) edge.Access { return edge.Access{Roles: r} }

const (
	admin    = accounts.RoleAdmin
	editor   = accounts.RoleEditor
	manager  = accounts.RoleManager
	operator = accounts.RoleOperator
	province = accounts.RoleProvince
)

// Routes is the web surface's route table; nav.go lists its pages in the
// navigation by the same rules.
func (s *Server) Routes() []Route {
	return []Route{
		{http.MethodGet, "/static/:name", public, s.static},
		{http.MethodGet, "/sw.js", public, s.serviceWorker},
		{http.MethodGet, "/lang", public, s.switchLanguage},
		{http.MethodGet, "/ho-tro", public, s.support},

		{http.MethodGet, "/login", public, s.loginPage},
		{http.MethodPost, "/login", public, s.login},
		{http.MethodPost, "/logout", whileResetting, s.logout},
		{http.MethodGet, "/account", whileResetting, s.accountPage},
		{http.MethodPost, "/account/password", whileResetting, s.changePassword},
		{http.MethodPost, "/account/sessions", signedIn, s.signOutElsewhere},
		{http.MethodPost, "/account/calendar", signedIn, s.renewCalendarLink},

		{http.MethodGet, "/", signedIn, s.home},
		{http.MethodGet, "/calendar", signedIn, s.calendar},
		{http.MethodGet, "/calendar/subscribe", signedIn, s.subscribePage},
		{http.MethodPost, "/calendar/subscribe", signedIn, s.subscribe},

		{http.MethodGet, "/campaigns/new", roles(editor, admin), s.newCampaignPage},
		{http.MethodPost, "/campaigns/new", roles(editor, admin), s.createCampaign},
		{http.MethodGet, "/campaigns/:id", signedIn, s.campaignPage},
		{http.MethodGet, "/campaigns/:id/edit", roles(editor, admin), s.editCampaignPage},
		{http.MethodPost, "/campaigns/:id/edit", roles(editor, admin), s.updateCampaign},
		// Plans from a spreadsheet (plan_import.go): importing makes items,
		// as only editors do.
		{http.MethodGet, "/campaigns/:id/import", roles(editor), s.importPage},
		{http.MethodPost, planUploadPath, roles(editor), s.uploadPlan},
		{http.MethodPost, "/campaigns/:id/import/confirm", roles(editor), s.confirmPlan},
		{http.MethodGet, "/campaigns/:id/import/done", roles(editor), s.importDonePage},
		{http.MethodPost, "/campaigns/:id/import/submit", roles(editor), s.submitImported},

		{http.MethodGet, "/items/new", roles(editor), s.newItemPage},
		{http.MethodPost, "/items/new", roles(editor), s.createItem},
		{http.MethodGet, "/items/leaflet-preview", roles(editor), s.leafletPreview},
		{http.MethodGet, "/items/:id", signedIn, s.itemPage},
		{http.MethodPost, "/items/:id", roles(editor), s.saveItem},
		{http.MethodPost, "/items/:id/withdraw", roles(editor), s.withdrawItem},
		{http.MethodPost, "/items/:id/delete", roles(editor), s.deleteItem},
		{http.MethodPost, "/items/:id/figures", roles(editor), s.recordFigures},
		{http.MethodGet, "/items/:id/leaflet", roles(editor), s.leafletPage},
		{http.MethodPost, "/items/:id/leaflet", roles(editor), s.renderLeaflet},
		{http.MethodPost, leafletUploadPath, roles(editor), s.uploadLeafletPhoto},
		{http.MethodGet, "/approvals", roles(manager), s.approvalsPage},
		{http.MethodPost, "/approvals/:id/approve", roles(manager), s.approveItem},
		{http.MethodPost, "/approvals/:id/reject", roles(manager), s.rejectItem},
		{http.MethodGet, "/deliveries", roles(editor, manager, admin), s.deliveriesPage},
		{http.MethodGet, "/manual", roles(editor, manager), s.manualPage},
		{http.MethodPost, "/manual/:id/posted", roles(editor), s.postedManual},
		{http.MethodPost, "/manual/:id/skip", roles(editor), s.skipManual},
		{http.MethodPost, "/deliveries/:id/retry", roles(editor), s.retryDelivery},

		{http.MethodGet, "/reach", roles(manager, editor), s.reachYearPage},
		{http.MethodGet, "/reach/:id", roles(manager, editor), s.reachCampaignPage},
		{http.MethodPost, "/reach/:id", roles(manager, editor), s.addReach},
		// The same rules as the API's GET /api/v1/reports/annual (whose
		// files the page links to) and /api/v1/province/….
		{http.MethodGet, "/reports", roles(manager, province, admin), s.reportsPage},
		{http.MethodGet, "/province", roles(province, admin), s.provincePage},

		{http.MethodGet, "/stations", roles(operator, editor, manager, admin), s.stationsListPage},
		{http.MethodGet, "/stations/:id/rundown", roles(operator, editor, manager, admin), s.rundownPage},
		{http.MethodPost, "/stations/:id/rundown", roles(operator), s.reportAiring},

		{http.MethodGet, "/admin/stations", roles(admin, editor), s.stationsPage},
		{http.MethodPost, "/admin/stations", roles(admin, editor), s.createStation},
		{http.MethodGet, "/admin/stations/:id", roles(admin, editor), s.stationPage},
		{http.MethodPost, "/admin/stations/:id", roles(admin, editor), s.updateStation},
		{http.MethodPost, "/admin/stations/:id/tokens", roles(admin), s.issueStationToken},
		{http.MethodPost, "/admin/stations/:id/tokens/:token_id/revoke", roles(admin), s.revokeStationToken},

		{http.MethodGet, "/admin/communes", roles(admin), s.communesPage},
		{http.MethodPost, "/admin/communes", roles(admin), s.createCommune},
		{http.MethodGet, "/admin/users", roles(admin), s.usersPage},
		{http.MethodGet, "/admin/channels", roles(admin, manager), s.channelsPage},
		{http.MethodPost, "/admin/channels/:id/resume", roles(admin), s.resumeChannel},
		{http.MethodPost, "/admin/users", roles(admin), s.createUser},
		{http.MethodGet, "/admin/users/:id", roles(admin), s.userPage},
		{http.MethodPost, "/admin/users/:id", roles(admin), s.updateUser},
		{http.MethodPost, "/admin/users/:id/state", roles(admin), s.setUserState},
		{http.MethodPost, "/admin/users/:id/password", roles(admin), s.resetPassword},
	}
}

// mayOpen reports whether role may open the page at path (a GET route),
// by that route's own rule: links are offered as the route allows.
func (s *Server) mayOpen(role accounts.Role, path string) bool {
	a, ok := s.access(path)
	return ok && opens(a, role)
}

// opens reports whether rule a lets role in.
func opens(a edge.Access, role accounts.Role) bool {
	return a.Public || len(a.Roles) == 0 || slices.Contains(a.Roles, role)
}

// access returns the rule of the GET route at path, for the navigation.
func (s *Server) access(path string) (edge.Access, bool) {
	for _, r := range s.Routes() {
		if r.Method == http.MethodGet && r.Path == path {
			return r.Access, true
		}
	}
	return edge.Access{}, false
}
