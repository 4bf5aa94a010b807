package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/rundown"
)

// reportAiring takes an operator's or station device's report on one slot:
// aired (the delivery is sent and reach is logged) or skipped with a
// reason. Repeating a report returns the same airing and counts nothing
// twice.
func (s *Server) reportAiring(c *gin.Context) {
	p := principal(c)
	if err := stationAllowed(p, c.Param("id")); err != nil {
		if _, gerr := s.Stations.Get(c, c.Param("id")); gerr != nil {
			err = gerr // an unknown station is 404 for everyone
		}
		fail(c, s.Log, err)
		return
	}
	var in rundown.AiringInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	a, _, err := s.Rundowns.Report(c, p.Username, c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, a)
}
