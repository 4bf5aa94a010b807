package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// resumeChannel lifts a channel's pause after an admin reconnected it (for
// Facebook: a new FACEBOOK_PAGE_TOKEN and a restart, or the Page's
// permissions restored) and returns the channel's status.
func (s *Server) resumeChannel(c *gin.Context) {
	st, err := s.Dispatch.Resume(c, principal(c).Username, c.Param("channel"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}
