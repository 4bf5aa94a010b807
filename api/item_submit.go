package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// submitItem sends a draft for approval.
func (s *Server) submitItem(c *gin.Context) {
	it, err := s.Campaigns.Submit(c, actor(c), c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
