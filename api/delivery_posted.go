package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// postedDelivery records the link of a post made by hand: the delivery is
// sent, with its url and external_id (a link not of that platform: 400).
func (s *Server) postedDelivery(c *gin.Context) {
	var in struct {
		URL string `json:"url"`
	}
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	d, err := s.ByHand.Posted(c, principal(c).Username, c.Param("id"), in.URL)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
