package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
)

// reachTimeline returns a campaign's values by day and channel (?metric=).
func (s *Server) reachTimeline(c *gin.Context) {
	campaign := c.Query("campaign")
	if campaign == "" {
		fail(c, s.Log, apperr.Invalid("campaign", "is required"))
		return
	}
	points, err := s.Reach.Timeline(c, campaign, c.Query("metric"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, points)
}
