package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
)

// issueStationToken issues a token for a station's device (a phone left at
// the amplifier, an IP loudspeaker controller) that opens only that
// station's rundown and airings. The secret is shown once; the audit log
// records the issue (accounts.Service.IssueStationToken, as the station page
// does).
func (s *Server) issueStationToken(c *gin.Context) {
	secret, tok, err := s.Accounts.IssueStationToken(c, principal(c).Username, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, struct {
		Token string `json:"token"`
		accounts.StationToken
	}{secret, tok})
}
