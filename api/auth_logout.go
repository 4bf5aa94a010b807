package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// logout revokes the caller's token and clears the cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.Accounts.Logout(c, principal(c)); err != nil {
		fail(c, s.Log, err)
		return
	}
	s.setSessionCookie(c, "", -1)
	c.Status(http.StatusNoContent)
}
