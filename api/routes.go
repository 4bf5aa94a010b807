package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/edge"
)

// Route is one row of the route table: every route is registered from it,
// and the authorization test walks it, so a route cannot exist without a
// rule. The rules are the edge's, shared with the pages.
type Route struct {
	Method  string
	Path    string
	Access  edge.Access
	Handler gin.HandlerFunc
}

// The route table's rules, from the edge both surfaces share.
var (
	public   = edge.Public
	signedIn = edge.SignedIn
	// whileResetting is signedIn, open also while a reset password must
	// be changed.
	whileResetting = edge.WhileResetting
)

func roles(r ...accounts.Role) edge.Access { return edge.Roles(r...) }

// stationRoute is roles(r...) plus the station device token of the
// station :id; handlers also keep operators to their own stations.
func stationRoute(r ...accounts.Role) edge.Access { return edge.StationRoute(r...) }

const (
	admin    = accounts.RoleAdmin
	editor   = accounts.RoleEditor
	manager  = accounts.RoleManager
	operator = accounts.RoleOperator
	province = accounts.RoleProvince
)

// Routes is the API's route table.
func (s *Server) Routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/readyz", public, s.readyz},
		{http.MethodGet, "/metrics", public, s.metrics},

		{http.MethodPost, "/api/v1/auth/login", public, s.login},
		{http.MethodPost, "/api/v1/auth/logout", whileResetting, s.logout},
		{http.MethodGet, "/api/v1/me", whileResetting, s.me},
		{http.MethodPost, "/api/v1/me/password", whileResetting, s.changeMyPassword},
		{http.MethodPost, "/api/v1/me/sessions/revoke", signedIn, s.revokeMyOtherSessions},
		{http.MethodPost, "/api/v1/me/calendar-token", signedIn, s.calendarToken},
		{http.MethodGet, "/api/v1/users", roles(admin), s.listUsers},
		{http.MethodPost, "/api/v1/users", roles(admin), s.createUser},
		{http.MethodPatch, "/api/v1/users/:id", roles(admin), s.updateUser},
		{http.MethodPost, "/api/v1/users/:id/password", roles(admin), s.resetPassword},
		{http.MethodGet, "/api/v1/communes", roles(province, admin), s.listCommunes},
		{http.MethodPost, "/api/v1/communes", roles(admin), s.createCommune},

		{http.MethodGet, "/api/v1/observances", signedIn, s.listObservances},
		{http.MethodGet, "/api/v1/campaigns", signedIn, s.listCampaigns},
		{http.MethodPost, "/api/v1/campaigns", roles(editor, admin), s.createCampaign},
		{http.MethodGet, "/api/v1/campaigns/:id", signedIn, s.getCampaign},
		{http.MethodPatch, "/api/v1/campaigns/:id", roles(editor, admin), s.updateCampaign},
		// Plans from a spreadsheet (SPEC §6.4): importing makes items, as
		// only editors do.
		{http.MethodGet, "/api/v1/import/template.xlsx", roles(editor), s.planTemplate},
		{http.MethodPost, "/api/v1/campaigns/:id/import", roles(editor), s.importPlan},
		{http.MethodGet, "/api/v1/campaigns/:id/plan.xlsx", signedIn, s.exportPlan},
		{http.MethodGet, "/api/v1/calendar", signedIn, s.calendar},
		{http.MethodGet, "/api/v1/calendar.ics", edge.Access{CalendarToken: true}, s.calendarICS},
		{http.MethodGet, "/api/v1/audit", roles(manager, admin), s.listAudit},

		{http.MethodGet, "/api/v1/items", signedIn, s.listItems},
		{http.MethodPost, "/api/v1/items", roles(editor), s.createItem},
		{http.MethodGet, "/api/v1/items/:id", signedIn, s.getItem},
		{http.MethodPatch, "/api/v1/items/:id", roles(editor), s.updateItem},
		{http.MethodDelete, "/api/v1/items/:id", roles(editor), s.deleteItem},
		{http.MethodPost, "/api/v1/items/:id/withdraw", roles(editor), s.withdrawItem},
		{http.MethodPost, "/api/v1/items/:id/submit", roles(editor), s.submitItem},
		{http.MethodPost, "/api/v1/items/:id/approve", roles(manager), s.approveItem},
		{http.MethodPost, "/api/v1/items/:id/reject", roles(manager), s.rejectItem},
		{http.MethodGet, "/api/v1/items/:id/leaflet", signedIn, s.getLeaflet},
		{http.MethodPost, "/api/v1/items/:id/leaflet", roles(editor), s.renderLeaflet},
		{http.MethodGet, "/api/v1/items/:id/leaflet.pdf", signedIn, s.leafletPDF},
		// The sound of scripts (SPEC §6.3).
		{http.MethodGet, "/api/v1/items/:id/audio", signedIn, s.getItemAudio},
		{http.MethodPost, "/api/v1/items/:id/audio", roles(editor), s.uploadItemAudio},
		{http.MethodPost, "/api/v1/items/:id/audio/tts", roles(editor), s.requestItemTTS},
		{http.MethodDelete, "/api/v1/items/:id/audio", roles(editor), s.deleteItemAudio},
		// Public: published scripts' sounds are for anyone, and Vbee calls
		// back without a session; the handlers check the rest.
		{http.MethodGet, "/media/audio/:file", public, s.serveAudio},
		{http.MethodPost, "/api/v1/tts/vbee/callback", public, s.vbeeCallback},
		{http.MethodPost, "/api/v1/media", roles(editor), s.uploadMedia},
		// Public: variants of published leaflets are for anyone; the
		// handler checks the rest (signed in, same commune).
		{http.MethodGet, "/media/:id/:variant", public, s.serveMedia},
		{http.MethodGet, "/q/:code", public, limited(s.scanLimit, s.scanQR)},
		{http.MethodGet, "/api/v1/deliveries", roles(editor, manager, admin), s.listDeliveries},
		{http.MethodPost, "/api/v1/deliveries/:id/retry", roles(editor), s.retryDelivery},
		{http.MethodGet, "/api/v1/manual", roles(editor, manager), s.listManual},
		{http.MethodPost, "/api/v1/deliveries/:id/posted", roles(editor), s.postedDelivery},
		{http.MethodPost, "/api/v1/deliveries/:id/skip", roles(editor), s.skipDelivery},

		{http.MethodPost, "/api/v1/reach", roles(editor, manager), s.addReach},
		{http.MethodGet, "/api/v1/reach/summary", roles(editor, manager), s.reachSummary},
		{http.MethodGet, "/api/v1/reach/timeline", roles(editor, manager), s.reachTimeline},
		{http.MethodPost, "/api/v1/reach/poll", roles(manager, admin), s.pollReach},
		{http.MethodGet, "/api/v1/reports/annual", roles(manager, province, admin), s.annualReport},
		{http.MethodGet, "/api/v1/province/reach/summary", roles(province, admin), s.provinceReachSummary},
		{http.MethodGet, "/api/v1/province/reports/annual", roles(province, admin), s.provinceAnnualReport},

		{http.MethodGet, "/api/v1/channels", roles(admin, manager), s.listChannels},
		{http.MethodPost, "/api/v1/channels/:channel/resume", roles(admin), s.resumeChannel},
		{http.MethodGet, "/feed.atom", public, limited(s.feedLimit, s.feedAtom)},

		{http.MethodGet, "/api/v1/stations", signedIn, s.listStations},
		{http.MethodPost, "/api/v1/stations", roles(admin, editor), s.createStation},
		{http.MethodGet, "/api/v1/stations/:id", signedIn, s.getStation},
		{http.MethodPatch, "/api/v1/stations/:id", roles(admin, editor), s.updateStation},
		{http.MethodGet, rundownRoute, stationRoute(operator, editor, manager, admin), s.getRundown},
		{http.MethodPost, "/api/v1/stations/:id/airings", stationRoute(operator), s.reportAiring},
		{http.MethodGet, "/api/v1/stations/:id/airings", stationRoute(operator, editor, manager, admin), s.listAirings},
		{http.MethodPost, "/api/v1/stations/:id/token", roles(admin), s.issueStationToken},
		{http.MethodGet, "/api/v1/stations/:id/tokens", roles(admin), s.listStationTokens},
		{http.MethodDelete, "/api/v1/stations/:id/tokens/:token_id", roles(admin), s.revokeStationToken},
	}
}
