package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// me describes the signed-in caller; must_change_password says that an
// admin reset the password and every other call answers 403
// password_change_required until the caller chooses a new one.
func (s *Server) me(c *gin.Context) {
	p := principal(c)
	stations := p.StationIDs
	if stations == nil {
		stations = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"id": p.UserID, "username": p.Username, "role": p.Role,
		"display_name": p.DisplayName, "commune_id": p.CommuneID, "station_ids": stations,
		"must_change_password": p.MustChangePassword})
}
