package edge

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/gin-gonic/gin"
)

const requestIDKey = "request_id"

// RequestIDs gives every request an id: a sane X-Request-ID from the caller,
// or a new one. The answer carries it, and logs name it.
func RequestIDs(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) < 8 || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r < '!' || r > '~' }) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(requestIDKey, id)
	c.Writer.Header()["X-Request-Id"] = []string{id}
	c.Next()
}

// RequestID returns the id RequestIDs gave the request.
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }
