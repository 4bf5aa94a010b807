package api

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/edge"
)

// fail answers a domain error in the SPEC's error shape, through the one
// mapping both surfaces use (edge.Classify): internal errors are logged
// with the request id and never echoed to the caller.
func fail(c *gin.Context, log *slog.Logger, err error) { edge.FailJSON(c, log, err) }

// abort answers status with code and message in the SPEC's error shape.
func abort(c *gin.Context, status int, code, message string) { edge.Abort(c, status, code, message) }
