package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/deliveries"
)

// browseParams are the query parameters that ask listDeliveries for a
// page of every age (deliveries.Browse) rather than the hot collection.
var browseParams = []string{"from", "to", "campaign", "page", "limit"}

// listDeliveries lists deliveries (?item=, ?state=, ?channel=, ?station=).
//
// With any of ?from=&to= (local due dates, inclusive), ?campaign=, ?page=,
// ?limit= or ?state=problems it reads every age, the archive included, one page at a time
// (deliveries.Browse: by due time, oldest first; ?state=problems selects
// failed, dead and missed; from defaults to the item's or campaign's
// start, else 30 days ago; limit to 50, at most 500) and says the whole
// count in X-Total-Count and the next page in a Link header. Without them
// it answers as it always has: the hot collection (deliveries queued or
// finished in the last two days, ?day= for one date), ?archived=1 adding
// the archive by a scan.
func (s *Server) listDeliveries(c *gin.Context) {
	if !anyQuery(c, browseParams) && c.Query("state") != deliveries.Problems {
		list, err := s.Deliveries.List(c, deliveries.Filter{ItemID: c.Query("item"), State: c.Query("state"),
			Channel: c.Query("channel"), StationID: c.Query("station"), Day: c.Query("day"), Archived: c.Query("archived") == "1"})
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		c.JSON(http.StatusOK, list)
		return
	}
	q := deliveries.BrowseQuery{State: c.Query("state"), Channel: c.Query("channel"), CampaignID: c.Query("campaign"),
		ItemID: c.Query("item"), StationID: c.Query("station"), From: c.Query("from"), To: c.Query("to"), Oldest: true}
	q.Start = s.Campaigns.DeliveriesStart(c, q.ItemID, q.CampaignID)
	for _, p := range []struct {
		name string
		to   *int
	}{{"page", &q.Page}, {"limit", &q.Limit}} {
		if v := c.Query(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				fail(c, s.Log, apperr.Invalid(p.name, "must be a whole number, 1 or more"))
				return
			}
			*p.to = n
		}
	}
	page, err := s.Deliveries.Browse(c, q)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Header("X-Total-Count", strconv.Itoa(page.Total))
	if page.Page < page.Pages {
		next := c.Request.URL.Query()
		next.Set("page", strconv.Itoa(page.Page+1))
		c.Header("Link", "<"+(&url.URL{Path: c.Request.URL.Path, RawQuery: next.Encode()}).String()+`>; rel="next"`)
	}
	if page.Deliveries == nil {
		page.Deliveries = []deliveries.Delivery{}
	}
	c.JSON(http.StatusOK, page.Deliveries)
}

func anyQuery(c *gin.Context, names []string) bool {
	for _, n := range names {
		if _, ok := c.GetQuery(n); ok {
			return true
		}
	}
	return false
}
