package web

import (
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// calendarData is the calendar page's content.
type calendarData struct {
	month
	Year, MonthNum           int
	MonthName                string
	PrevURL, NextURL, NowURL string
	PrevLabel, NextLabel     string
	// Filters as chosen, and their choices.
	Campaign, Channel, Station string
	Campaigns                  []option
	Channels                   []option
	Stations                   []option
	// Communes is the commune picker of province and admin users.
	Communes      []option
	Commune       string
	MonthParam    string
	CanCreate     bool
	CreateURL     string
	SubscribeURL  string
	FilterApplied bool
}

// option is one choice of a select.
type option struct {
	Value, Label string
	// Key, when set, is a catalogue key for the label.
	Key string
}

var monthPattern = regexp.MustCompile(`^(20\d\d|2100)-(0[1-9]|1[0-2])$`)

// calendar shows a month: campaign bands across the days, milestones and
// scheduled entries, filtered by campaign and channel.
func (s *Server) calendar(c *gin.Context) {
	loc := s.Location
	now := s.Now().In(loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	if m := c.Query("month"); m != "" {
		t, err := time.ParseInLocation("2006-01", m, loc)
		if !monthPattern.MatchString(m) || err != nil {
			s.errorPage(c, http.StatusBadRequest, "cal.bad_month")
			return
		}
		first = t
	}
	from, to := gridRange(first)
	q := campaigns.CalendarQuery{From: from.Format(campaigns.DateLayout), To: to.Format(campaigns.DateLayout),
		CampaignID: c.Query("campaign"), Channel: c.Query("channel"), StationID: c.Query("station")}
	cal, err := s.Campaigns.Calendar(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "cal.title", nil)
	s.showReportNotice(c, v)
	link := func(id string) string { return v.Link("/campaigns/" + url.PathEscape(id)) }
	d := calendarData{
		month: layoutMonth(first, cal, cal.Campaigns, now.Format(campaigns.DateLayout), loc, link, c.Query("day"),
			func(date string) string { return s.dayURL(c, first, date) }),
		Year: first.Year(), MonthNum: int(first.Month()), MonthName: first.Month().String(),
		Campaign: q.CampaignID, Channel: q.Channel, Station: q.StationID, MonthParam: first.Format("2006-01"),
		Commune: v.Commune, CanCreate: v.Can(string(editor), string(admin)),
		CreateURL: v.Link("/campaigns/new"), SubscribeURL: "/calendar/subscribe",
		FilterApplied: q.CampaignID != "" || q.Channel != "" || q.StationID != "",
	}
	prev, next := first.AddDate(0, -1, 0), first.AddDate(0, 1, 0)
	d.PrevURL, d.NextURL = s.monthURL(c, prev), s.monthURL(c, next)
	d.NowURL = s.monthURL(c, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc))
	d.PrevLabel, d.NextLabel = prev.Format("01/2006"), next.Format("01/2006")
	if err := s.filterChoices(c, &d, cal.Campaigns, first); err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, http.StatusOK, pageCalendar, v)
}

// filterChoices fills the filters' choices: the month's campaigns, the
// channels, the commune's stations and, for province and admin users, the
// communes.
func (s *Server) filterChoices(c *gin.Context, d *calendarData, camps []campaigns.Campaign, first time.Time) error {
	mFirst, mLast := first.Format(campaigns.DateLayout), first.AddDate(0, 1, -1).Format(campaigns.DateLayout)
	for _, cp := range camps {
		if cp.Start <= mLast && cp.End >= mFirst {
			d.Campaigns = append(d.Campaigns, option{Value: cp.ID, Label: cp.Title})
		}
	}
	for _, ch := range campaigns.Channels {
		d.Channels = append(d.Channels, option{Value: ch.Code, Key: "channel." + ch.Code})
	}
	if s.Stations != nil {
		list, err := s.Stations.List(c)
		if err != nil {
			return err
		}
		for _, st := range list {
			d.Stations = append(d.Stations, option{Value: st.ID, Label: st.Name + " (" + st.Village + ")"})
		}
	}
	if principal(c).Role.CrossCommune() {
		var err error
		if d.Communes, err = s.communeOptions(c); err != nil {
			return err
		}
		d.Commune = scope(c)
	}
	return nil
}

// monthURL links to another month with the same filters.
func (s *Server) monthURL(c *gin.Context, m time.Time) string {
	q := url.Values{"month": {m.Format("2006-01")}}
	for _, k := range []string{"campaign", "channel", "station", "commune"} {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	return "/calendar?" + q.Encode()
}

// dayURL links to the month with every entry of one day listed, at that
// day, with the same filters.
func (s *Server) dayURL(c *gin.Context, month time.Time, date string) string {
	return s.monthURL(c, month) + "&day=" + url.QueryEscape(date) + "#day"
}

// communeOptions lists every commune, for the pickers of province and admin
// users.
func (s *Server) communeOptions(c *gin.Context) ([]option, error) {
	list, err := s.Accounts.ListCommunes(c)
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(list))
	for _, cm := range list {
		out = append(out, option{Value: cm.ID, Label: cm.Name})
	}
	return out, nil
}
