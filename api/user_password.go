package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// resetPassword gives a user a temporary password chosen by the admin:
// their sessions end and they must choose their own at the next sign-in.
func (s *Server) resetPassword(c *gin.Context) {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.Accounts.ResetPassword(c, principal(c), c.Param("id"), in.Password); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
