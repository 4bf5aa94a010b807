package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/media"
)

// scanQR is where a leaflet's QR code leads: it counts the scan and sends
// the person on to the support page, always, whatever the code (someone
// scanning may need help now). The caller's address and user agent only
// tell a repeat scan or a link preview (media.Service.Scan); the request
// log names the route, never the code.
// A HEAD (a link preview, a checker) is not a scan.
func (s *Server) scanQR(c *gin.Context) {
	to := s.Media.SupportURL()
	if !IsHead(c) {
		to = s.Media.Scan(c, c.Param("code"), media.Visitor{Addr: Source(c.ClientIP()), UserAgent: c.GetHeader("User-Agent")})
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, to)
}
