package web

import (
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
)

// navItems are the navigation's entries in order, each a page of the route
// table; a user sees those their role may open (TestNavLeadsToPages keeps
// every entry a page).
var navItems = []struct {
	key, path string
	// also lists other path prefixes the entry stands for.
	also []string
	// only, when set, narrows the entry to these roles (the page may be
	// open to more, who reach it from elsewhere).
	only []accounts.Role
}{
	{"nav.home", "/", nil, []accounts.Role{editor}},
	{"nav.manual", "/manual", nil, []accounts.Role{editor}},
	{"nav.calendar", "/calendar", []string{"/campaigns/", "/items/"}, nil},
	{"nav.rundowns", "/stations", nil, []accounts.Role{operator, manager}},
	{"nav.approvals", "/approvals", nil, nil},
	{"nav.deliveries", "/deliveries", nil, nil},
	{"nav.reach", "/reach", nil, nil},
	// Admins may open the reports and the province view too (as in the
	// API), but they are not an admin's work: they stay out of the menu.
	{"nav.province", "/province", nil, []accounts.Role{province}},
	{"nav.reports", "/reports", nil, []accounts.Role{manager, province}},
	{"nav.stations", "/admin/stations", nil, nil},
	{"nav.communes", "/admin/communes", nil, nil},
	{"nav.users", "/admin/users", nil, nil},
	{"nav.channels", "/admin/channels", nil, nil},
	{"nav.account", "/account", nil, nil},
	{"nav.support", "/ho-tro", nil, nil},
}

// navLink is one navigation entry as shown.
type navLink struct {
	Key    string
	URL    string
	Active bool
	// Count is a number shown with the entry: the posts waiting to be made
	// by hand.
	Count int
}

// nav lists the entries p may open, marking the current one; none while
// p must change a reset password, since no page but that form opens.
func (s *Server) nav(c *gin.Context, p accounts.Principal) []navLink {
	if p.MustChangePassword {
		return nil
	}
	var out []navLink
	commune := ""
	if sc := scope(c); sc != p.CommuneID {
		commune = sc
	}
	for _, it := range navItems {
		a, ok := s.access(it.path)
		if !ok || !opens(a, p.Role) ||
			(it.only != nil && !slices.Contains(it.only, p.Role)) {
			continue
		}
		url := it.path
		if !a.Public {
			url = withCommune(it.path, commune)
		}
		here := c.Request.URL.Path
		active := here == it.path || strings.HasPrefix(here, it.path+"/") ||
			slices.ContainsFunc(it.also, func(p string) bool { return strings.HasPrefix(here, p) })
		if it.path == "/manual" && !s.byHandChannels() {
			continue // every channel publishes itself here: nothing is posted by hand
		}
		link := navLink{Key: it.key, URL: url, Active: active}
		if it.path == "/manual" && s.ByHand != nil {
			n, err := s.ByHand.Count(c)
			if err != nil {
				s.Log.Warn("counting the posts to make by hand", "err", err)
			}
			link.Count = n
		}
		out = append(out, link)
	}
	return out
}

// byHandChannels reports whether any channel is posted by hand here.
func (s *Server) byHandChannels() bool {
	return s.Deliveries != nil && (s.Deliveries.ByHand("facebook") || s.Deliveries.ByHand("zalo"))
}
