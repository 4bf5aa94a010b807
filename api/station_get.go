package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// getStation returns one station.
func (s *Server) getStation(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
