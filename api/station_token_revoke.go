package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// revokeStationToken revokes one of a station's device tokens; every
// replica refuses it within a second.
func (s *Server) revokeStationToken(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.Accounts.RevokeStationToken(c, st.ID, c.Param("token_id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Campaigns.Record(c, campaigns.AuditEntry{Actor: principal(c).Username, Action: "station.token.revoke",
		Detail: fmt.Sprintf("token %s of station %s (%s)", c.Param("token_id"), st.Name, st.Village)})
	c.Status(http.StatusNoContent)
}
