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
	if err := s.Accounts.StationAllowed(c, principal(c), c.Param("id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	var in rundown.AiringInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	a, _, err := s.Rundowns.Report(c, principal(c).Username, c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, a)
}
