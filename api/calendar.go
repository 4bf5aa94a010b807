package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// calendar returns one entry per day of ?from=&to= (at most 400 days).
func (s *Server) calendar(c *gin.Context) {
	cal, err := s.Campaigns.Calendar(c, campaigns.CalendarQuery{
		From: c.Query("from"), To: c.Query("to"),
		CampaignID: c.Query("campaign"), Channel: c.Query("channel"), StationID: c.Query("station"),
	})
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, cal)
}
