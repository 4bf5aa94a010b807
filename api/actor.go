package api

import (
	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// actor is the signed-in caller as the workflow sees them.
func actor(c *gin.Context) campaigns.Actor {
	p := principal(c)
	return campaigns.Actor{UserID: p.UserID, Username: p.Username}
}
