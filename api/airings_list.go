package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listAirings lists a station's airing reports (aired and skipped) between
// ?from= and ?to= (default: the last 30 days), with who reported them.
func (s *Server) listAirings(c *gin.Context) {
	if err := s.Accounts.StationAllowed(c, principal(c), c.Param("id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	list, err := s.Rundowns.History(c, c.Param("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
