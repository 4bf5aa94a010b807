package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz answers while the process is alive.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.Version})
}

// readyz answers 200 only when the database answers a ping within two seconds.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c, 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Ping(ctx); err != nil {
		s.Log.Warn("readyz: database unreachable", "err", err)
		abort(c, http.StatusServiceUnavailable, "store_unavailable", "the database does not answer")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "store_ping_ms": float64(time.Since(start).Microseconds()) / 1000})
}
