package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// updateItem edits an item; an approved item goes back to draft.
func (s *Server) updateItem(c *gin.Context) {
	var in campaigns.ItemInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	it, err := s.Campaigns.UpdateItem(c, actor(c), c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
