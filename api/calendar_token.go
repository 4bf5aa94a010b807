package api

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

// calendarToken issues the caller's read-only calendar token (replacing any
// earlier one) and the feed URL a phone calendar can subscribe to.
func (s *Server) calendarToken(c *gin.Context) {
	tok, err := s.Accounts.CalendarToken(c, principal(c))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": tok,
		"url": s.BaseURL + "/api/v1/calendar.ics?token=" + url.QueryEscape(tok)})
}
