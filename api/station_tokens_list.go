package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listStationTokens lists a station's device tokens with when they were
// made and last used and how often, by route; never their secrets.
func (s *Server) listStationTokens(c *gin.Context) {
	list, err := s.Accounts.ListStationTokens(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
