package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// provinceReachSummary returns every commune's totals of ?year= side by
// side, and the province total.
func (s *Server) provinceReachSummary(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	communes, err := s.Reach.CommuneRefs(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sum, err := s.Reach.ProvinceSummary(c, year, communes)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}
