package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// changeMyPassword changes the caller's password; their other sessions end
// and this one stays. It is open while a reset password must be changed.
func (s *Server) changeMyPassword(c *gin.Context) {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.Accounts.ChangePassword(c, principal(c), in.Current, in.New); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// revokeMyOtherSessions signs the caller out everywhere else.
func (s *Server) revokeMyOtherSessions(c *gin.Context) {
	if _, err := s.Accounts.RevokeOtherSessions(c, principal(c)); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
