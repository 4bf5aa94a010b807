package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listCommunes lists every commune of the installation.
func (s *Server) listCommunes(c *gin.Context) {
	list, err := s.Accounts.ListCommunes(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
