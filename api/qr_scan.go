package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// scanQR is where a leaflet's QR code leads: it counts the scan and sends
// the person on to the support page, always, whatever the code (someone
// scanning may need help now). Nothing about the caller is stored, and the
// request log names the route, never the code.
// A HEAD (a link preview, a checker) is not a scan.
func (s *Server) scanQR(c *gin.Context) {
	to := s.Media.SupportURL()
	if !IsHead(c) {
		to = s.Media.Scan(c, c.Param("code"))
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, to)
}
