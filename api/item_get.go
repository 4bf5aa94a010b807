package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// getItem returns one item.
func (s *Server) getItem(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
