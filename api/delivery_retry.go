package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// retryDelivery queues a dead or missed delivery again.
func (s *Server) retryDelivery(c *gin.Context) {
	d, err := s.Deliveries.Retry(c, principal(c).Username, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
