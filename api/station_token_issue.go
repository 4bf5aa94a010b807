package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
)

// issueStationToken issues a token for a station's device (a phone left at
// the amplifier, an IP loudspeaker controller) that opens only that
// station's rundown and airings. The secret is shown once.
func (s *Server) issueStationToken(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	p := principal(c)
	secret, tok, err := s.Accounts.IssueStationToken(c, p.Username, st.ID)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Campaigns.Record(c, campaigns.AuditEntry{Actor: p.Username, Action: "station.token.issue",
		Detail: fmt.Sprintf("token %s for station %s (%s)", tok.ID, st.Name, st.Village)})
	c.JSON(http.StatusCreated, struct {
		Token string `json:"token"`
		accounts.StationToken
	}{secret, tok})
}
