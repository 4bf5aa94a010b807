package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/reach"
)

// reachSummary returns totals against targets and village coverage for
// ?campaign= or ?year=.
func (s *Server) reachSummary(c *gin.Context) {
	var sum reach.Summary
	var err error
	switch campaign, year := c.Query("campaign"), c.Query("year"); {
	case campaign != "":
		sum, err = s.Reach.CampaignSummary(c, campaign, s.villageHouseholds)
	case year != "":
		y, perr := strconv.Atoi(year)
		if perr != nil {
			err = apperr.Invalid("year", "must be a year such as 2026")
			break
		}
		sum, err = s.Reach.YearSummary(c, y, s.villageHouseholds)
	default:
		err = apperr.Invalid("campaign", "give ?campaign= or ?year=")
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

// villageHouseholds sums the households the commune's stations cover, by village.
func (s *Server) villageHouseholds(ctx context.Context) (map[string]int, error) {
	list, err := s.Stations.List(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, st := range list {
		out[st.Village] += st.Households
	}
	return out, nil
}
