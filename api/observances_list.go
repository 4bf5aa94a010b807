package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listObservances lists the programme's yearly observances.
func (s *Server) listObservances(c *gin.Context) {
	list, err := s.Campaigns.ListObservances(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
