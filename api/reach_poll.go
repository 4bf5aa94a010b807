package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/reach"
)

// pollReach reads the platforms' statistics of the caller's commune's posts
// of the last 28 days now (the clock also does it: hourly for posts younger
// than 7 days, daily up to 28) and returns {posts, snapshots, errors}.
func (s *Server) pollReach(c *gin.Context) {
	if s.Poller == nil {
		c.JSON(http.StatusOK, reach.PollResult{Errors: []string{}})
		return
	}
	res, err := s.Poller.PollNow(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
