package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// me describes the signed-in caller.
func (s *Server) me(c *gin.Context) {
	p := principal(c)
	stations := p.StationIDs
	if stations == nil {
		stations = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"id": p.UserID, "username": p.Username, "role": p.Role,
		"display_name": p.DisplayName, "commune_id": p.CommuneID, "station_ids": stations})
}
