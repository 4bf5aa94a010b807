package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listManual lists the posts waiting for a person to post them by hand
// (SPEC §6.2), with their text and images as each platform takes them.
func (s *Server) listManual(c *gin.Context) {
	list, err := s.ByHand.Queue(c, c.Query("state"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
