package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listUsers lists the users of the scope's commune.
func (s *Server) listUsers(c *gin.Context) {
	users, err := s.Accounts.ListUsers(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, users)
}
