package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// subscribeData is the calendar subscription page's content.
type subscribeData struct {
	// URL and Webcal are the new feed address, shown once: only its hash is
	// stored.
	URL string
	// Webcal opens the feed in the phone's calendar app; html/template would
	// refuse the scheme in a plain string.
	Webcal template.URL
}

// subscribePage explains the calendar feed and offers to make its link.
func (s *Server) subscribePage(c *gin.Context) {
	s.render(c, http.StatusOK, pageSubscribe, s.newView(c, "sub.title", subscribeData{}))
}

// subscribe issues the user's read-only calendar token with
// accounts.Service.CalendarToken (as POST /api/v1/me/calendar-token does),
// replacing any earlier one, and shows the feed's address once.
func (s *Server) subscribe(c *gin.Context) {
	tok, err := s.Accounts.CalendarToken(c, principal(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	u := s.BaseURL + "/api/v1/calendar.ics?token=" + url.QueryEscape(tok)
	d := subscribeData{URL: u, Webcal: template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"))} //nolint:gosec // built from the configured base URL and a base64url token
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, pageSubscribe, s.newView(c, "sub.title", d))
}
