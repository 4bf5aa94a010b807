package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/stations"
)

// updateStation changes a station's name, village, households or notes.
func (s *Server) updateStation(c *gin.Context) {
	var in stations.Input
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	st, err := s.Stations.Update(c, c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
