package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/edge"
)

//go:embed templates
var templateFS embed.FS

// Page templates. Every handler renders one of these names; mustParsePages
// parses each with the layout and partials and panics if one is missing, so a
// missing page stops the binary at start instead of failing a user later.
const (
	pageLogin         = "login"
	pageCalendar      = "calendar"
	pageSubscribe     = "subscribe"
	pageCampaign      = "campaign"
	pageCampaignForm  = "campaign_form"
	pageAdminCommunes = "admin_communes"
	pageAdminUsers    = "admin_users"
	pageSupport       = "support"
	pageError         = "error"
	pageItem          = "item"
	pageApprovals     = "approvals"
	pageDeliveries    = "deliveries"
	pageReach         = "reach"
	pageAdminStations = "admin_stations"
	pageStationForm   = "station_form"
	pageRundown       = "rundown"
	pageStations      = "stations"
	pageChannels      = "channels"
	pageLeaflet       = "leaflet"
	pageReports       = "reports"
	pageProvince      = "province"
	pageEditorHome    = "editor_home"
	pageManual        = "manual"
	pageAdminUser     = "admin_user"
	pageAccount       = "account"
	pageImport        = "plan_import"
	pageImportDone    = "plan_import_done"
)

var pageNames = []string{pageLogin, pageCalendar, pageSubscribe, pageCampaign, pageCampaignForm,
	pageImport, pageImportDone,
	pageAdminCommunes, pageAdminUsers, pageSupport, pageError, pageItem, pageApprovals, pageDeliveries,
	pageReach, pageAdminStations, pageStationForm, pageRundown, pageStations, pageChannels, pageLeaflet,
	pageReports, pageProvince, pageEditorHome, pageManual, pageAdminUser, pageAccount}

// pages maps each page name to its parsed template set.
type pages struct {
	set map[string]*template.Template
}

// mustParsePages parses layout + partials + page for every name.
func mustParsePages(names []string) *pages {
	p := &pages{set: map[string]*template.Template{}}
	for _, name := range names {
		t := template.New(name).Funcs(funcs)
		t = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", "templates/pages/"+name+".html"))
		for _, block := range []string{"layout", "content"} {
			if t.Lookup(block) == nil {
				panic(fmt.Sprintf("web: page %s has no %q template", name, block))
			}
		}
		p.set[name] = t
	}
	return p
}

// view is what every page template sees: the layout's needs, and the page's
// own data in Data.
type view struct {
	Lang  string
	Title string
	User  *accounts.Principal
	// CSRF is the session's token for the forms of the page.
	CSRF string
	Nav  []navLink
	// Path is the request's path and query, for the language switch.
	Path string
	// Commune is the commune the page acts in when it is not the user's own
	// (a province or admin user who chose one); links carry it on.
	Commune string
	// CommuneName names it, for the banner that says where the user is.
	CommuneName string
	// ReportNotice is the annual report deadline reminder, on the pages of
	// managers that show it (home.go).
	ReportNotice *reportNotice
	Data         any

	cat    catalog
	assets *assets
	// offlineDay is the date of a rundown page, for offlineHeader.
	offlineDay string
}

// T translates key into the page's language.
func (v *view) T(key string, args ...any) string { return v.cat.T(key, args...) }

// TOr translates key, or returns fallback when the catalogue has no such key
// (for codes the catalogue may not know yet, such as a new milestone).
func (v *view) TOr(key, fallback string) string {
	if _, ok := v.cat[key]; ok {
		return v.cat.T(key)
	}
	return fallback
}

// Asset returns the checksummed URL of a static file.
func (v *view) Asset(name string) (string, error) { return v.assets.url(name) }

// Link returns path with the page's chosen commune kept on.
func (v *view) Link(path string) string { return withCommune(path, v.Commune) }

// OtherLang is the language the switch leads to.
func (v *view) OtherLang() string {
	if v.Lang == "en" {
		return "vi"
	}
	return "en"
}

// LangURL switches the language and comes back to this page.
func (v *view) LangURL() string {
	return "/lang?" + url.Values{"to": {v.OtherLang()}, "next": {v.Path}}.Encode()
}

// Can reports whether the user holds one of the roles.
func (v *view) Can(roles ...string) bool {
	if v.User == nil {
		return false
	}
	for _, r := range roles {
		if string(v.User.Role) == r {
			return true
		}
	}
	return false
}

// newView prepares the layout's part of a page titled by a catalogue key.
func (s *Server) newView(c *gin.Context, titleKey string, data any) *view {
	lang := language(c)
	v := &view{Lang: lang, cat: s.catalogs[lang], assets: s.assets, Data: data,
		Path: c.Request.URL.RequestURI()}
	v.Title = v.cat.T(titleKey)
	if s.viewer(c) {
		p := principal(c)
		v.User = &p
		tok, _ := c.Get(sessionKey)
		v.CSRF = csrfToken(tok.(string))
		if sc := scope(c); sc != p.CommuneID {
			v.Commune, v.CommuneName = sc, sc
			if cm, err := s.Accounts.GetCommune(c, sc); err == nil {
				v.CommuneName = cm.Name
			}
		}
		v.Nav = s.nav(c, p)
	}
	return v
}

// render executes the page into a buffer first, so that a template error
// becomes a clean 500 and never half a page.
func (s *Server) render(c *gin.Context, status int, name string, v *view) {
	t, ok := s.pages.set[name]
	if !ok {
		panic("web: no page template " + name) // mustParsePages makes this unreachable
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Log.Error("rendering page", "page", name, "request_id", edge.RequestID(c), "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("500: page error; request id "+edge.RequestID(c)))
		c.Abort()
		return
	}
	if c.Writer.Header().Get("Cache-Control") == "" {
		c.Header("Cache-Control", "private, no-cache")
	}
	s.setOfflineHeader(c, v)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// withCommune adds ?commune= to a local path when commune is set.
func withCommune(path, commune string) string {
	if commune == "" {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := u.Query()
	q.Set("commune", commune)
	u.RawQuery = q.Encode()
	return u.String()
}

// funcs are the few helpers templates need; page logic stays in Go.
var funcs = template.FuncMap{
	"has": func(set map[string]bool, key string) bool { return set[key] },
	"get": func(m map[string]string, key string) string { return m[key] },
	"inc": func(i int) int { return i + 1 },
	"dec": func(i int) int { return i - 1 },
}
