package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/stations"
)

// createStation adds a loudspeaker station.
func (s *Server) createStation(c *gin.Context) {
	var in stations.Input
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	st, err := s.Stations.Create(c, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, st)
}
