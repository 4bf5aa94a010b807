// Package web is Lan Tỏa's server-rendered user interface (SPEC §3H, DESIGN
// §6): Go html/template pages in one layout, a small hand-written stylesheet
// and a few lines of JavaScript, all embedded and served under checksummed
// URLs, with texts from message catalogues (Vietnamese first, English second).
//
// Handlers call the same domain services as the JSON API — never the API over
// HTTP — and decide access with the API's own rules (edge.Authorize): the
// route table in routes.go gives each page its edge.Access, and the pages are
// mounted on the API's Gin engine so that both surfaces share one server, one
// session cookie and one set of security headers.
package web

import (
	"log/slog"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/byhand"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/held"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scriptaudio"
	"github.com/lantoa/lantoa/stations"
)

// Deps are what the pages call.
type Deps struct {
	Accounts  *accounts.Service
	Campaigns *campaigns.Service
	// Stations are the loudspeaker stations: the calendar's station filter,
	// the stations of scripts, the admin page and village coverage.
	Stations *stations.Service
	// Deliveries lists deliveries and retries them.
	Deliveries *deliveries.Service
	// Dispatch reports the channels' state and resumes paused ones.
	Dispatch *dispatch.Dispatcher
	// Reach gives the reach dashboards and records manual entries.
	Reach *reach.Service
	// Rundown builds the stations' rundowns and takes airing reports.
	Rundown *rundown.Service
	// Media stores uploaded photos and renders leaflets.
	Media *media.Service
	// ByHand is publishing by hand: the posts waiting for an editor.
	ByHand *byhand.Service
	// Plans checks and imports plan files; PlanFiles keeps an uploaded
	// file between its preview and its import (plan_import.go).
	Plans     *plans.Service
	PlanFiles *held.Files
	// Audio is the sound of loudspeaker scripts: the item page's player,
	// recorder and "read aloud", the rundown's and approvals' players.
	Audio *scriptaudio.Service
	// ReadWPM is the loudspeaker reading speed in words a minute (config
	// LANTOA_READ_WPM), for the reading time of scripts; 0 means 130.
	ReadWPM int
	Log     *slog.Logger
	// BaseURL is the public URL of the service (LANTOA_BASE_URL): its scheme
	// decides the cookies' Secure flag, its host is a same-origin host, and
	// the calendar feed's address starts with it.
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the commune's time zone.
	Location *time.Location
}

// Server is the web pages' handlers, their templates, assets and catalogues.
type Server struct {
	Deps
	pages        *pages
	assets       *assets
	catalogs     map[string]catalog
	secureCookie bool
	baseHost     string
}

// New parses every template and catalogue and fingerprints the static files.
// It panics when a page template, a catalogue or an asset is missing or
// broken: the binary is wrong and must not start.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.ReadWPM <= 0 {
		d.ReadWPM = 130
	}
	s := &Server{Deps: d, assets: mustLoadAssets(), catalogs: mustLoadCatalogs()}
	s.pages = mustParsePages(pageNames)
	if u, err := url.Parse(d.BaseURL); err == nil {
		s.secureCookie, s.baseHost = u.Scheme == "https", u.Host
	}
	return s
}

// Mount registers every page of Routes on r, each behind the access check of
// its rule, and answers browsers that ask for a missing page (or with a
// method a page does not take) with a page instead of the API's JSON.
func (s *Server) Mount(r *gin.Engine) {
	for _, rt := range s.Routes() {
		r.Handle(rt.Method, rt.Path, s.bodyLimit, s.authorize(rt), rt.Handler)
	}
	r.NoRoute(s.noRoute)
	r.NoMethod(s.noMethod)
}
