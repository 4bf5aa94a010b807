package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
)

// createUser adds a user; the commune defaults to the admin's (or
// ?commune=). accounts.Service.CreateUser checks an operator's stations.
func (s *Server) createUser(c *gin.Context) {
	var in accounts.NewUser
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	in.CreatedBy = principal(c).Username
	u, err := s.Accounts.CreateUser(c, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}
