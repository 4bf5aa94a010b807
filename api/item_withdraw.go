package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// withdrawItem takes a submitted item back to draft.
func (s *Server) withdrawItem(c *gin.Context) {
	it, err := s.Campaigns.Withdraw(c, actor(c), c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
