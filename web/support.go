package web

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
)

// hotline is a national number everyone can call. Only well-known national
// numbers are listed; the commune's own contacts are named, not numbered,
// since the plan gives no numbers for them.
type hotline struct {
	Number string
	Tel    template.URL
	Key    string // catalogue key prefix: .name and .desc
}

// hotlines are the national numbers of the support page.
var hotlines = []hotline{
	{"113", "tel:113", "help.113"},
	{"111", "tel:111", "help.111"},
	{"115", "tel:115", "help.115"},
}

// localServices are the commune's support services named in the plan
// (section II.2 and IV), each a catalogue key prefix: .name and .desc.
var localServices = []string{
	"help.police", "help.health", "help.shelter", "help.dv", "help.legal", "help.women", "help.school",
}

// supportData is the support page's content.
type supportData struct {
	Hotlines []hotline
	Services []string
}

// support is the public page that leaflet QR codes lead to: hotlines, the
// community shelter and the support services, with no sign-in and nothing
// stored about the visitor.
func (s *Server) support(c *gin.Context) {
	s.render(c, http.StatusOK, pageSupport, s.newView(c, "help.title", supportData{Hotlines: hotlines, Services: localServices}))
}
