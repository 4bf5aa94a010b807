package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// logout revokes the session and clears its cookie.
func (s *Server) logout(c *gin.Context) {
	if err := s.Accounts.Logout(c, principal(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}
