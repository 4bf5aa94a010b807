package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// getCampaign returns one campaign of the caller's commune.
func (s *Server) getCampaign(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, camp)
}
