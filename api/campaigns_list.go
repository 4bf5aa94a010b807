package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
)

// listCampaigns lists the campaigns of a year (?year=), or all of them.
func (s *Server) listCampaigns(c *gin.Context) {
	from, to := "", ""
	if y := c.Query("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 2000 || year > 2100 {
			fail(c, s.Log, apperr.Invalid("year", "must be a year between 2000 and 2100"))
			return
		}
		from, to = y+"-01-01", y+"-12-31"
	}
	list, err := s.Campaigns.ListCampaigns(c, from, to)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
