package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// deleteItem deletes a draft that never went out (204).
func (s *Server) deleteItem(c *gin.Context) {
	if err := s.Campaigns.DeleteItem(c, actor(c), c.Param("id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
