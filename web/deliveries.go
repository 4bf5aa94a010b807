package web

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
)

// deliveriesPerPage is how many rows one page shows; ?page= turns pages.
const deliveriesPerPage = 50

// deliveriesData is the deliveries page's content.
type deliveriesData struct {
	Paused []pausedChannel
	Rows   []deliveryRow
	// Total counts the matching deliveries; Rows holds one page of them,
	// First to Last.
	Total            int
	First, Last      int
	PrevURL, NextURL string
	// Filters as chosen (From and To as asked: "" is the default range),
	// and their choices.
	State, Channel, Campaign, Item, ItemTitle string
	From, To                                  string
	// BadFilter names the filter the list could not take ("from", "to",
	// or another): the page shows the filters as chosen, why, and no list.
	BadFilter                   string
	States, Channels, Campaigns []option
	ClearItemURL, ClearURL      string
	// Range says which due dates the list covers, in words.
	Range         string
	Problems      bool
	Notice, Alert string
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
	// RetryConfirm asks before retrying a post due long ago.
	RetryConfirm string
	// NoRetry explains why a loudspeaker slot is not retried from here.
	NoRetry bool
	// Link is where a sent delivery went (its public http(s) URL), if known.
	Link string
}

// deliveriesPage lists deliveries of every age, a page at a time
// (deliveries.Browse): by default the ones that need a person's eye (failed,
// dead, missed) due in the last 30 days up to today, newest first, with
// paused channels on top. Deliveries still to come show with a state
// chosen (queued, cancelled…), an item, or a "to" date.
func (s *Server) deliveriesPage(c *gin.Context) {
	s.renderDeliveries(c, http.StatusOK, "")
}

// retryDelivery queues a dead or missed delivery again with
// deliveries.Service.Retry and comes back to the list it was pressed on.
func (s *Server) retryDelivery(c *gin.Context) {
	_, err := s.Deliveries.Retry(c, principal(c).Username, c.Param("id"))
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
	d := deliveriesData{State: c.Query("state"), Channel: c.Query("channel"), Campaign: c.Query("campaign"), Item: c.Query("item"),
		From: c.Query("from"), To: c.Query("to"), Back: "/deliveries"}
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
	bq := deliveries.BrowseQuery{State: d.State, Channel: d.Channel, CampaignID: d.Campaign, ItemID: d.Item, From: d.From, To: d.To,
		Limit: deliveriesPerPage, Start: s.Campaigns.DeliveriesStart(c, d.Item, d.Campaign)}
	switch d.State {
	case "":
		bq.State = deliveries.Problems
	case "all":
		bq.State = ""
	}
	if d.To == "" && d.Item == "" && (d.State == "" || d.State == "all") {
		// Newest first, the future's queue would fill the first pages of
		// every state: it is one choice away (a state, or a "to" date).
		// One item's deliveries are few: all of them show.
		bq.To = s.Now().In(s.Location).Format(campaigns.DateLayout)
	}
	bq.Page, _ = strconv.Atoi(c.Query("page"))
	page, err := s.Deliveries.Browse(c, bq)
	var ve *apperr.ValidationError
	if errors.As(err, &ve) {
		// Dates in the wrong order, a range too long, a state typed into
		// the address: the page again, with its filters, and why.
		d.BadFilter, d.Alert = ve.Field, v.T(badFilterKey(ve))
		status, page, err = http.StatusBadRequest, deliveries.BrowsePage{}, nil
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.fillDeliveries(c, v, &d, page); err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, status, pageDeliveries, v)
}

// fillDeliveries fills the rows, the paused channels and the filters' choices.
func (s *Server) fillDeliveries(c *gin.Context, v *view, d *deliveriesData, page deliveries.BrowsePage) error {
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
	d.Total = page.Total
	d.First, d.Last = (page.Page-1)*page.Limit+1, (page.Page-1)*page.Limit+len(page.Deliveries)
	d.PrevURL, d.NextURL = pageURL(c, page.Page-1, page.Page > 1), pageURL(c, page.Page+1, page.Page < page.Pages)
	d.Range = v.T("dl.range_open", dmy(page.From))
	if page.To != "" {
		d.Range = v.T("dl.range", dmy(page.From), dmy(page.To))
	}
	canRetry := v.Can(string(editor))
	for _, dl := range page.Deliveries {
		d.Rows = append(d.Rows, s.deliveryRow(v, dl, names, canRetry))
	}
	if d.Item != "" {
		if it, err := s.Campaigns.GetItem(c, d.Item); err == nil {
			d.ItemTitle = it.Title
		}
		q := c.Request.URL.Query()
		q.Del("item")
		q.Del("page")
		d.ClearItemURL = "/deliveries?" + q.Encode()
	}
	if d.State != "" || d.Channel != "" || d.Campaign != "" || d.From != "" || d.To != "" {
		d.ClearURL = withCommune("/deliveries", c.Query("commune"))
	}
	d.States = append(d.States, option{Value: "all", Key: "dl.all_states"})
	for _, st := range deliveries.States {
		d.States = append(d.States, option{Value: st, Key: "dstate." + st})
	}
	for _, ch := range campaigns.Channels {
		d.Channels = append(d.Channels, option{Value: ch.Code, Key: "channel." + ch.Code})
	}
	if err := s.campaignChoices(c, d, page); err != nil {
		return err
	}
	paused, err := s.Dispatch.ChannelStates(c)
	if err != nil {
		return err
	}
	for _, p := range paused {
		d.Paused = append(d.Paused, s.pausedOf(v, p))
	}
	return nil
}

// deliveryRow lays out one delivery.
func (s *Server) deliveryRow(v *view, dl deliveries.Delivery, names map[string]string, canRetry bool) deliveryRow {
	r := deliveryRow{ID: dl.ID, Title: dl.Title, ItemURL: v.Link("/items/" + url.PathEscape(dl.ItemID)),
		ChannelKey: "channel." + dl.Channel, Station: names[dl.StationID], State: dl.State, StateKey: "dstate." + dl.State,
		Due: dl.DueAt.In(s.Location).Format("15:04 02/01/2006"), Attempts: dl.Attempts, Technical: dl.LastError,
		Problem: s.problemText(v, dl)}
	if dl.StationID != "" && r.Station == "" {
		r.Station = dl.StationID
	}
	if dl.State == deliveries.StateSent {
		r.Link = publicLink(dl.URL)
	}
	retryable := dl.State == deliveries.StateDead || dl.State == deliveries.StateMissed
	switch {
	case retryable && dl.Channel == deliveries.Loudspeaker:
		r.NoRetry = true
	case retryable && canRetry:
		r.RetryURL = v.Link("/deliveries/" + url.PathEscape(dl.ID) + "/retry")
		// A post due long ago goes out now when retried: asked first, since
		// what it says may no longer fit the day.
		if s.Now().Sub(dl.DueAt) > staleRetry {
			r.RetryConfirm = v.T("dl.retry_old", dl.DueAt.In(s.Location).Format("02/01/2006"))
		}
	}
	return r
}

// staleRetry is how long after its due time a retried post is asked about.
const staleRetry = 7 * 24 * time.Hour

// campaignChoices lists the campaigns that overlap the page's range (and
// the chosen one), for the campaign filter.
func (s *Server) campaignChoices(c *gin.Context, d *deliveriesData, page deliveries.BrowsePage) error {
	to := page.To
	if to == "" {
		to = s.Now().In(s.Location).AddDate(0, 0, 14).Format(campaigns.DateLayout)
	}
	list, err := s.Campaigns.ListCampaigns(c, page.From, max(to, page.From))
	if err != nil {
		return err
	}
	found := false
	for _, cp := range list {
		d.Campaigns = append(d.Campaigns, option{Value: cp.ID, Label: cp.Title})
		found = found || cp.ID == d.Campaign
	}
	if d.Campaign != "" && !found {
		if cp, err := s.Campaigns.GetCampaign(c, d.Campaign); err == nil {
			d.Campaigns = append(d.Campaigns, option{Value: cp.ID, Label: cp.Title})
		}
	}
	return nil
}

// publicLink is u when it is a link a person can open (http or https with
// a host that is not this machine), else "": the outbox's receipts are
// file paths on the server.
func publicLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.User != nil {
		return ""
	}
	host := p.Hostname()
	if ip, err := netip.ParseAddr(host); host == "localhost" || (err == nil && (ip.IsLoopback() || ip.IsUnspecified() || ip.IsPrivate())) {
		return ""
	}
	return p.String()
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

// badFilterKey is the catalogue key saying why the list refused a filter.
func badFilterKey(ve *apperr.ValidationError) string {
	switch {
	case ve.Field == "to" && strings.Contains(ve.Reason, "before"):
		return "dl.bad_order"
	case ve.Field == "from" || ve.Field == "to":
		return "dl.bad_dates"
	}
	return "dl.bad_filter"
}
