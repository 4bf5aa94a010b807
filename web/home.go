package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// home sends a signed-in user to the calendar, everyone's first page.
func (s *Server) home(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, withCommune("/calendar", c.Query("commune")))
}
