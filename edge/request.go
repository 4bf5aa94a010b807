package edge

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/gin-gonic/gin"
)

// RequestIDs gives every request an id: a sane X-Request-ID from the caller,
// or a new one. The answer carries it, and logs name it.
func RequestIDs(c *gin.Context) {
	id := c.GetHeader("X-Request-Id") // canonical: no copy of the name to look it up
	if len(id) < 8 || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r < '!' || r > '~' }) {
		var b [8]byte
		var x [16]byte
		_, _ = rand.Read(b[:])
		hex.Encode(x[:], b[:])
		id = string(x[:])
	}
	c.Writer.Header()["X-Request-Id"] = []string{id}
	c.Next()
}

// RequestID returns the id RequestIDs gave the request: the one its answer
// carries (kept there rather than in gin's Keys, a map each request would
// allocate).
func RequestID(c *gin.Context) string {
	if id := c.Writer.Header()["X-Request-Id"]; len(id) > 0 {
		return id[0]
	}
	return ""
}
