package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// approveItem approves a submitted item and schedules its deliveries.
func (s *Server) approveItem(c *gin.Context) {
	it, n, err := s.Campaigns.Approve(c, actor(c), c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"item": it, "id": it.ID, "status": it.Status, "deliveries": n})
}
