package api

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// calendarICS serves the iCalendar feed. Without from/to it covers the year
// before and the year after today, so a subscribed phone calendar sees the
// whole current cycle.
func (s *Server) calendarICS(c *gin.Context) {
	from, to := c.Query("from"), c.Query("to")
	if from == "" && to == "" {
		y := time.Now().Year()
		from, to = strconv.Itoa(y-1)+"-01-01", strconv.Itoa(y+1)+"-12-31"
	}
	var buf bytes.Buffer
	if err := s.Campaigns.ICS(c, &buf, from, to); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}
