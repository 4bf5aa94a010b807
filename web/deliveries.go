package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/scheduler"
)

// deliveriesPerPage is how many rows one page shows; ?page= turns pages.
const deliveriesPerPage = 50

// problemStates are what the page shows unless asked otherwise: deliveries
// that need a person's eye.
var problemStates = []string{scheduler.StateFailed, scheduler.StateMissed, scheduler.StateDead}

// deliveriesData is the deliveries page's content.
type deliveriesData struct {
	Paused []pausedChannel
	Rows   []deliveryRow
	// Total counts the matching deliveries (at most scheduler.MaxList per
	// state); Rows holds one page of them.
	Total            int
	First, Last      int
	PrevURL, NextURL string
	// Filters as chosen, and their choices.
	State, Channel, Item, ItemTitle string
	States, Channels                []option
	ClearItemURL                    string
	Problems                        bool
	Notice, Alert                   string
	// Back is this page with its filters, where a retry comes back to.
	Back string
}

// deliveryRow is one delivery as the page shows it.
type deliveryRow struct {
	ID, Title, ItemURL, ChannelKey, Station, Due, State, StateKey string
	Attempts                                                      int
	// Problem is the last error in plain words; Technical the text as
	// recorded, for whoever fixes it.
	Problem, Technical string
	RetryURL           string
	// NoRetry explains why a loudspeaker slot is not retried from here.
	NoRetry bool
}

// deliveriesPage lists deliveries: by default the failed, missed and dead
// ones, newest first, with paused channels on top.
func (s *Server) deliveriesPage(c *gin.Context) {
	s.renderDeliveries(c, http.StatusOK, "")
}

// retryDelivery queues a dead or missed delivery again with
// scheduler.Scheduler.Retry and comes back to the list it was pressed on.
func (s *Server) retryDelivery(c *gin.Context) {
	_, err := s.Scheduler.Retry(c, principal(c).Username, c.Param("id"))
	switch {
	case err == nil:
		back := localPath(c.Request.PostForm.Get("back"), "/deliveries")
		if !strings.HasPrefix(back, "/deliveries") {
			back = "/deliveries"
		}
		sep := "?"
		if strings.Contains(back, "?") {
			sep = "&"
		}
		c.Redirect(http.StatusSeeOther, back+sep+"retried=1")
	case errors.Is(err, apperr.ErrConflict):
		s.renderDeliveries(c, http.StatusConflict, "dl.retry_conflict")
	default:
		s.fail(c, err)
	}
}

func (s *Server) renderDeliveries(c *gin.Context, status int, alert string) {
	v := s.newView(c, "dl.title", nil)
	d := deliveriesData{State: c.Query("state"), Channel: c.Query("channel"), Item: c.Query("item"), Back: "/deliveries"}
	q := c.Request.URL.Query()
	q.Del("retried")
	if len(q) > 0 {
		d.Back += "?" + q.Encode()
	}
	if c.Request.Method != http.MethodGet {
		d.Back = localPath(c.Request.PostForm.Get("back"), "/deliveries")
	}
	d.Problems = d.State == ""
	if alert != "" {
		d.Alert = v.T(alert)
	}
	if c.Query("retried") != "" {
		d.Notice = v.T("dl.retried")
	}
	list, err := s.deliveries(c, d)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.fillDeliveries(c, v, &d, list); err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, status, pageDeliveries, v)
}

// deliveries reads the deliveries the filters ask for.
func (s *Server) deliveries(c *gin.Context, d deliveriesData) ([]scheduler.Delivery, error) {
	f := scheduler.Filter{ItemID: d.Item, Channel: d.Channel, Archived: d.Item != ""}
	if d.State != "" && d.State != "all" {
		f.State = d.State
		return s.Scheduler.List(c, f)
	}
	if d.State == "all" {
		list, err := s.Scheduler.List(c, f)
		slices.SortStableFunc(list, func(a, b scheduler.Delivery) int { return b.DueAt.Compare(a.DueAt) })
		return list, err
	}
	var out []scheduler.Delivery
	for _, st := range problemStates {
		f.State = st
		list, err := s.Scheduler.List(c, f)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	slices.SortStableFunc(out, func(a, b scheduler.Delivery) int { return b.DueAt.Compare(a.DueAt) })
	return out, nil
}

// fillDeliveries fills the rows, the paused channels and the filters' choices.
func (s *Server) fillDeliveries(c *gin.Context, v *view, d *deliveriesData, list []scheduler.Delivery) error {
	names := map[string]string{}
	if s.Stations != nil {
		sts, err := s.Stations.List(c)
		if err != nil {
			return err
		}
		for _, st := range sts {
			names[st.ID] = st.Name
		}
	}
	d.Total = len(list)
	page, _ := strconv.Atoi(c.Query("page"))
	page = max(1, min(page, (len(list)+deliveriesPerPage-1)/deliveriesPerPage))
	from, to := (page-1)*deliveriesPerPage, min(page*deliveriesPerPage, len(list))
	d.First, d.Last = from+1, to
	d.PrevURL, d.NextURL = pageURL(c, page-1, page > 1), pageURL(c, page+1, to < len(list))
	canRetry := v.Can(string(editor))
	for _, dl := range list[from:to] {
		r := deliveryRow{ID: dl.ID, Title: dl.Title, ItemURL: v.Link("/items/" + url.PathEscape(dl.ItemID)),
			ChannelKey: "channel." + dl.Channel, Station: names[dl.StationID], State: dl.State, StateKey: "dstate." + dl.State,
			Due: dl.DueAt.In(s.Location).Format("15:04 02/01/2006"), Attempts: dl.Attempts, Technical: dl.LastError,
			Problem: s.problemText(v, dl)}
		if dl.StationID != "" && r.Station == "" {
			r.Station = dl.StationID
		}
		retryable := dl.State == scheduler.StateDead || dl.State == scheduler.StateMissed
		switch {
		case retryable && dl.Channel == scheduler.Loudspeaker:
			r.NoRetry = true
		case retryable && canRetry:
			r.RetryURL = v.Link("/deliveries/" + url.PathEscape(dl.ID) + "/retry")
		}
		d.Rows = append(d.Rows, r)
	}
	if d.Item != "" {
		if it, err := s.Campaigns.GetItem(c, d.Item); err == nil {
			d.ItemTitle = it.Title
		}
		q := c.Request.URL.Query()
		q.Del("item")
		d.ClearItemURL = "/deliveries?" + q.Encode()
	}
	d.States = append(d.States, option{Value: "all", Key: "dl.all_states"})
	for _, st := range scheduler.States {
		d.States = append(d.States, option{Value: st, Key: "dstate." + st})
	}
	for _, ch := range campaigns.Channels {
		d.Channels = append(d.Channels, option{Value: ch.Code, Key: "channel." + ch.Code})
	}
	paused, err := s.Scheduler.ChannelStates(c)
	if err != nil {
		return err
	}
	for _, p := range paused {
		d.Paused = append(d.Paused, s.pausedOf(v, p))
	}
	return nil
}

// pageURL is this page's URL on page n, or "" when there is no such page.
func pageURL(c *gin.Context, n int, ok bool) string {
	if !ok {
		return ""
	}
	q := c.Request.URL.Query()
	q.Del("retried")
	q.Set("page", strconv.Itoa(n))
	return "/deliveries?" + q.Encode()
}
