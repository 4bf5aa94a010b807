package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// leafletPDF serves the print PDF of an item's leaflet: A5 by default,
// ?page=A4 for A4.
func (s *Server) leafletPDF(c *gin.Context) {
	pdf, err := s.Media.LeafletPDF(c, c.Param("id"), c.Query("page"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("ETag", pdf.ETag)
	c.Header("Cache-Control", "private, no-cache")
	if etagMatch(c.GetHeader("If-None-Match"), pdf.ETag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Header("Content-Disposition", `inline; filename="`+pdf.Filename+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf.Data)
}
