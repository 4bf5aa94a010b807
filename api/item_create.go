package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// createItem stores a draft content item.
func (s *Server) createItem(c *gin.Context) {
	var in campaigns.ItemInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	it, err := s.Campaigns.CreateItem(c, actor(c), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, it)
}
