package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/reach"
)

// addReach records a manual reach entry (or a correction).
func (s *Server) addReach(c *gin.Context) {
	var in reach.ManualEntry
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	e, err := s.Reach.AddManual(c, principal(c).Username, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}
