package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
)

// updateUser changes a user's display name, role, stations or state
// (accounts.Service.UpdateUser): disabling ends their sessions at once; the
// last enabled admin cannot be disabled or demoted (409).
func (s *Server) updateUser(c *gin.Context) {
	var in accounts.UserChange
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	u, err := s.Accounts.UpdateUser(c, principal(c), c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
