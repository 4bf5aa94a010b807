package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// createCampaign adds a campaign to the caller's commune.
func (s *Server) createCampaign(c *gin.Context) {
	var in campaigns.CampaignInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	camp, err := s.Campaigns.CreateCampaign(c, principal(c).Username, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, camp)
}
