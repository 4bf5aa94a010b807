package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/lantoa/lantoa/edge"
)

// noRoute answers a path that no page or endpoint has: a page for a
// browser, the API's JSON error under /api/ and for every other client.
func (s *Server) noRoute(c *gin.Context) {
	if !wantsPage(c) {
		edge.NoRoute(c)
		return
	}
	s.errorPage(c, http.StatusNotFound, "error.no_page")
}

// noMethod answers a method a path does not take, like noRoute.
func (s *Server) noMethod(c *gin.Context) {
	if !wantsPage(c) {
		edge.NoMethod(c)
		return
	}
	s.errorPage(c, http.StatusMethodNotAllowed, "error.no_method")
}

// wantsPage reports whether the request is a browser's asking for a page:
// outside /api/ (and the feeds and files of the API), accepting HTML.
func wantsPage(c *gin.Context) bool {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/media/") || strings.HasSuffix(p, ".atom") {
		return false
	}
	return strings.Contains(c.GetHeader("Accept"), "text/html")
}
