package api

import (
	"crypto/subtle"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics serves Prometheus figures; with LANTOA_METRICS_TOKEN set, only to
// a caller presenting it as a bearer token.
func (s *Server) metrics(c *gin.Context) {
	if s.Metrics == nil {
		abort(c, http.StatusNotFound, "not_found", "metrics are not enabled")
		return
	}
	if s.MetricsToken != "" {
		got := []byte(c.GetHeader("Authorization"))
		if subtle.ConstantTimeCompare(got, []byte("Bearer "+s.MetricsToken)) != 1 {
			abort(c, http.StatusUnauthorized, "unauthenticated", "metrics need the configured bearer token")
			return
		}
	}
	promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}
