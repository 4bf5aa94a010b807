package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listChannels returns every channel's status for the caller's commune:
// configured, healthy, paused ("reconnect", "blocked", "throttled"), the
// last error and the platform's rate-limit usage. Never a credential.
func (s *Server) listChannels(c *gin.Context) {
	list, err := s.Dispatch.ChannelStatuses(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
