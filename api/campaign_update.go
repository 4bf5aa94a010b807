package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// updateCampaign applies a partial update to a campaign.
func (s *Server) updateCampaign(c *gin.Context) {
	var in campaigns.CampaignInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	camp, err := s.Campaigns.UpdateCampaign(c, principal(c).Username, c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, camp)
}
