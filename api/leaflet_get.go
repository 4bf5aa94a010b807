package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// getLeaflet returns an item's current leaflet (404 before the first render).
func (s *Server) getLeaflet(c *gin.Context) {
	v, err := s.Media.Leaflet(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
