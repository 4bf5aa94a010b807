package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// revokeStationToken revokes one of a station's device tokens; every
// replica refuses it within a second, and the audit log records it.
func (s *Server) revokeStationToken(c *gin.Context) {
	if err := s.Accounts.RevokeStationToken(c, principal(c).Username, c.Param("id"), c.Param("token_id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
