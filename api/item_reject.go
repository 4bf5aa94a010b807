package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type rejectRequest struct {
	Reason string `json:"reason"`
}

// rejectItem returns a submitted item to draft with a reason.
func (s *Server) rejectItem(c *gin.Context) {
	var in rejectRequest
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	it, err := s.Campaigns.Reject(c, actor(c), c.Param("id"), in.Reason)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, it)
}
