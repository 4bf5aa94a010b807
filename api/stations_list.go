package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listStations lists the commune's loudspeaker stations.
func (s *Server) listStations(c *gin.Context) {
	list, err := s.Stations.List(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
