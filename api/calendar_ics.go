package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
)

// calendarICS serves the iCalendar feed (?from=&to=, by default the year
// before and the year after today; ?campaign=&channel=&station= filter as
// the calendar's do). Its occurrences are what the subscriber is concerned
// with: an operator's, the loudspeaker slots of their stations; anyone
// else's, the commune's approved and submitted items, those to post by hand
// with a reminder at their time.
func (s *Server) calendarICS(c *gin.Context) {
	p := principal(c)
	q := campaigns.ICSQuery{From: c.Query("from"), To: c.Query("to"), CampaignID: c.Query("campaign"), Channel: c.Query("channel"),
		StationID: c.Query("station"), Operator: p.Role == accounts.RoleOperator, Stations: p.StationIDs, StationNames: map[string]string{}}
	sts, err := s.Stations.List(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	for _, st := range sts {
		q.StationNames[st.ID] = st.Name
	}
	for _, ch := range []string{"facebook", "zalo"} {
		if s.Deliveries.ByHand(ch) {
			q.ByHand = append(q.ByHand, ch)
		}
	}
	q.ManualURL = strings.TrimRight(s.BaseURL, "/") + "/manual"
	var buf bytes.Buffer
	if err := s.Campaigns.ICS(c, &buf, q); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}
