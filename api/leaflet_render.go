package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/media"
)

// renderLeaflet makes the leaflet of a leaflet item from an uploaded photo
// and a few lines of text, or returns the same one when nothing changed.
func (s *Server) renderLeaflet(c *gin.Context) {
	var in media.LeafletInput
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	v, err := s.Media.RenderLeaflet(c, actor(c), c.Param("id"), in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
