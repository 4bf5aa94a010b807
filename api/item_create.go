package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// createItem stores a draft content item. With an Idempotency-Key header
// the same request sent again returns the item the first one stored.
func (s *Server) createItem(c *gin.Context) {
	var in campaigns.ItemInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	it, err := s.Campaigns.CreateItemOnce(c, actor(c), c.GetHeader("Idempotency-Key"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, it)
}
