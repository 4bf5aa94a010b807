package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/store"
)

// serveMedia serves /media/:id/:variant: the variants of a leaflet and the
// original of an upload. The route is public because the variants of
// published leaflets are (Facebook and Zalo fetch them by URL); everything
// else needs a signed-in user of the file's commune, checked here.
func (s *Server) serveMedia(c *gin.Context) {
	var viewer *store.Scope
	if p, _, err := s.authenticate(c, false); err == nil {
		// Someone who may not act in the commune they name is served as
		// the public.
		if sc, err := edge.Authorize(c, s.Accounts, p, signedIn, c.Query("commune")); err == nil {
			viewer = &sc
		}
	}
	obj, err := s.Media.OpenMedia(c, viewer, c.Param("id"), c.Param("variant"), c.Query("v"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("ETag", obj.ETag)
	c.Header("Cache-Control", cacheControl(obj.Public, obj.Immutable))
	if !obj.Public {
		c.Header("Vary", "Authorization, Cookie")
	}
	if etagMatch(c.GetHeader("If-None-Match"), obj.ETag) {
		c.Status(http.StatusNotModified)
		return
	}
	data, err := s.Media.ReadMedia(c, obj)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Data(http.StatusOK, obj.ContentType, data)
}

// cacheControl: bytes named exactly by their URL are cached for a year
// without revalidation; a URL that may show other bytes later (no ?v=, or
// an old one) is revalidated with the ETag every time. Private files stay
// out of shared caches.
func cacheControl(public, immutable bool) string {
	scope := "private"
	if public {
		scope = "public"
	}
	if immutable {
		return scope + ", max-age=31536000, immutable"
	}
	return scope + ", no-cache"
}

// etagMatch reports whether an If-None-Match header names etag (or is "*").
// Weak validators match too: these are byte-identical files.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || (t != "" && t == etag) {
			return true
		}
	}
	return false
}
