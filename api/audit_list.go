package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listAudit lists the audit log, newest first (?item=, ?campaign=).
func (s *Server) listAudit(c *gin.Context) {
	list, err := s.Campaigns.ListAudit(c, c.Query("item"), c.Query("campaign"), 500)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
