package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// reachData is the reach dashboard of a year (/reach?year=) or of one
// campaign (/reach/:id).
type reachData struct {
	Year                   int
	PrevURL, NextURL       string
	Campaign               *campaigns.Campaign
	CampaignURL, YearURL   string
	Bars                   []channelBar
	Totals                 []channelTotals
	SumNote                bool
	Metric                 string
	Metrics                []option
	Timeline               timeline
	Villages               []villageBar
	Campaigns              []option // the year's campaigns, value = their reach page
	Form                   manualForm
	Notice                 string
	Empty                  bool
	ChartLabel, BarsHeader string
}

// reachYearPage shows a year's reach: totals against the sum of its
// campaigns' targets, village coverage and the campaigns to open.
func (s *Server) reachYearPage(c *gin.Context) {
	year, ok := s.pageYear(c)
	if !ok {
		return
	}
	sum, err := s.Reach.YearSummary(c, year, s.villageHouseholds)
	if err != nil {
		s.fail(c, err)
		return
	}
	y := strconv.Itoa(year)
	camps, err := s.Campaigns.ListCampaigns(c, y+"-01-01", y+"-12-31")
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "reach.title", nil)
	v.Title = v.T("reach.year_heading", year)
	d := s.reachOf(v, sum)
	s.setReportNotice(v, sum.Notice)
	d.Year = year
	// The programme's years only: before 2026 and after 2030 nothing is planned.
	if slices.Contains(campaigns.ProgrammeYears, year-1) {
		d.PrevURL = v.Link("/reach?year=" + strconv.Itoa(year-1))
	}
	if slices.Contains(campaigns.ProgrammeYears, year+1) {
		d.NextURL = v.Link("/reach?year=" + strconv.Itoa(year+1))
	}
	for _, cp := range camps {
		label := cp.Title
		if cp.Start != cp.End { // a one-day campaign's title names its day already
			label += " (" + dmy(cp.Start) + " – " + dmy(cp.End) + ")"
		}
		d.Campaigns = append(d.Campaigns, option{Value: v.Link("/reach/" + url.PathEscape(cp.ID)), Label: label})
	}
	v.Data = d
	s.render(c, http.StatusOK, pageReach, v)
}

// reachCampaignPage shows a campaign's reach: totals against its targets, a
// timeline of one metric (?metric=), village coverage, and the form for
// manual entries.
func (s *Server) reachCampaignPage(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	f := newManualForm(s.Now().In(s.Location).Format(campaigns.DateLayout))
	if c.Query("added") != "" {
		f.Notice = "reach.added"
	}
	s.renderCampaignReach(c, http.StatusOK, camp, f)
}

func (s *Server) renderCampaignReach(c *gin.Context, status int, camp campaigns.Campaign, f manualForm) {
	sum, err := s.Reach.CampaignSummary(c, camp.ID, s.villageHouseholds)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "reach.title", nil)
	v.Title = camp.Title
	d := s.reachOf(v, sum)
	s.setReportNotice(v, sum.Notice)
	d.Campaign, d.Year = &camp, camp.Year
	d.CampaignURL, d.YearURL = v.Link("/campaigns/"+url.PathEscape(camp.ID)), v.Link("/reach?year="+strconv.Itoa(camp.Year))
	d.Metric = c.Query("metric")
	if !slices.ContainsFunc(d.Metrics, func(o option) bool { return o.Value == d.Metric }) {
		d.Metric = ""
		if len(d.Metrics) > 0 {
			d.Metric = d.Metrics[0].Value
		}
	}
	if d.Metric != "" {
		points, err := s.Reach.Timeline(c, camp.ID, d.Metric)
		if err != nil {
			s.fail(c, err)
			return
		}
		first, last := camp.Start, min(camp.End, s.Now().In(s.Location).Format(campaigns.DateLayout))
		for _, p := range points {
			first, last = min(first, p.Date), max(last, p.Date)
		}
		d.Timeline = layoutTimeline(points, first, last, v.Lang, func(date, ch, val string) string {
			return date + " · " + v.T(ch) + ": " + val
		})
		d.ChartLabel = v.T("reach.timeline_label", v.T("metric."+d.Metric), d.Timeline.First, d.Timeline.Last, d.Timeline.Peak)
	}
	if err := s.manualChoices(c, v, &f, camp); err != nil {
		s.fail(c, err)
		return
	}
	d.Form, d.Notice = f, f.Notice
	v.Data = d
	s.render(c, status, pageReach, v)
}

// reachOf lays out what both dashboards show.
func (s *Server) reachOf(v *view, sum reach.Summary) reachData {
	d := reachData{Bars: bars(sum, v.Lang), Totals: totals(sum, v.Lang), Villages: villageBars(sum.Villages, v.Lang)}
	d.SumNote = reach.HasReachSum(sum.Totals)
	d.Empty = len(sum.Totals) == 0
	seen := map[string]bool{}
	for _, m := range append([]string{"listeners", "reach_sum"}, reach.Metrics...) {
		for _, ch := range campaigns.Channels {
			if _, ok := sum.Totals[ch.Code][m]; ok && !seen[m] {
				seen[m] = true
				d.Metrics = append(d.Metrics, option{Value: m, Key: "metric." + m})
			}
		}
	}
	return d
}

// villageHouseholds sums the households the commune's stations cover, by
// village (as the API's summary does).
func (s *Server) villageHouseholds(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	if s.Stations == nil {
		return out, nil
	}
	list, err := s.Stations.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range list {
		out[st.Village] += st.Households
	}
	return out, nil
}
