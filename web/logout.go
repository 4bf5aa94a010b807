package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// logout revokes the session and clears its cookie, and has the browser
// delete what this site stored on the device (Clear-Site-Data "storage": the
// caches, the queued confirmations and the service worker of an operator's
// phone; see offline.go), so that nothing of this user is left for the next
// one. "cache" (the HTTP cache) is left out: Chromium stalls for seconds on
// it (crbug.com/40233601), and it holds the public static files and pages
// marked no-cache.
func (s *Server) logout(c *gin.Context) {
	if err := s.Accounts.Logout(c, principal(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Clear-Site-Data", `"storage"`)
	s.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}
