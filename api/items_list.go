package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// listItems lists items (?campaign=, ?status=, ?kind=), newest first.
func (s *Server) listItems(c *gin.Context) {
	list, err := s.Campaigns.ListItems(c, campaigns.ItemFilter{CampaignID: c.Query("campaign"), Status: c.Query("status"), Kind: c.Query("kind")})
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
