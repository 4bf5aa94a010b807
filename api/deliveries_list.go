package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/scheduler"
)

// listDeliveries lists deliveries (?item=, ?state=, ?channel=, ?station=,
// ?day=; ?archived=1 includes those finished long ago).
func (s *Server) listDeliveries(c *gin.Context) {
	list, err := s.Scheduler.List(c, scheduler.Filter{ItemID: c.Query("item"), State: c.Query("state"),
		Channel: c.Query("channel"), StationID: c.Query("station"), Day: c.Query("day"), Archived: c.Query("archived") == "1"})
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, list)
}
