package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// skipDelivery records that a post due by hand will not be made, and why:
// the delivery is cancelled with the reason.
func (s *Server) skipDelivery(c *gin.Context) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	d, err := s.ByHand.Skip(c, principal(c).Username, c.Param("id"), in.Reason)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
