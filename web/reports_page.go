package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// reportsData is the annual report page (/reports?year=): the figures of
// reach.AnnualReport as the XLSX, PDF and CSV files hold them, and links to
// those files.
type reportsData struct {
	Year        int
	Years       []option
	Communes    []option // the commune picker of province and admin users
	Commune     string
	CommuneName string
	Generated   string
	AsOf        string // when the delivery outcomes were last counted
	Downloads   []download
	Bars        []channelBar
	Totals      []channelTotals
	SumNote     bool
	Kinds       []metricTotal
	Outcomes    []metricTotal
	Campaigns   []reportCampaign
	Stations    []reportStation
	Villages    []villageBar
	Empty       bool
}

// download is a link to one of the report's files.
type download struct {
	Key, URL string
}

// reportCampaign is a campaign's channels against its targets.
type reportCampaign struct {
	Title, Period string
	// URL opens the campaign's reach page, for the roles that may.
	URL  string
	Bars []channelBar
}

// reportStation is a loudspeaker station's year.
type reportStation struct {
	Name, Village, Households, Aired, Skipped, Missed, Listeners string
}

// reportFormats are the annual report's files, in the order offered.
var reportFormats = []struct{ key, ext string }{{"reports.xlsx", "xlsx"}, {"reports.pdf", "pdf"}, {"reports.csv", "csv"}}

// reportsPage shows the annual report of a year (default: the current
// programme year) of the request's commune, with the files to download.
func (s *Server) reportsPage(c *gin.Context) {
	year, ok := s.pageYear(c)
	if !ok {
		return
	}
	in, err := s.Reach.ReportInput(c, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.Reach.AnnualReport(c, year, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "reports.title", nil)
	s.showReportNotice(c, v)
	if v.ReportNotice != nil && v.ReportNotice.URL == v.Link("/reports?year="+strconv.Itoa(year)) {
		v.ReportNotice.URL = "" // this page
	}
	v.Title = v.T("reports.heading", year)
	d := s.reportsOf(v, r)
	if principal(c).Role.CrossCommune() {
		if d.Communes, err = s.communeOptions(c); err != nil {
			s.fail(c, err)
			return
		}
		d.Commune = scope(c)
	}
	v.Data = d
	s.render(c, http.StatusOK, pageReports, v)
}

// reportsOf lays out the report's figures for the page.
func (s *Server) reportsOf(v *view, r *reach.AnnualReport) reportsData {
	d := reportsData{Year: r.Year, Years: yearOptions(r.Year), CommuneName: r.CommuneName,
		Generated: r.Generated.Format("15:04 02/01/2006"),
		Bars:      resultBars(r.Channels, v.Lang), Totals: totals(reach.Summary{Totals: r.Totals}, v.Lang),
		Villages: villageBars(r.Villages, v.Lang), Empty: len(r.Totals) == 0 && len(r.Outcomes) == 0}
	if !r.OutcomesAsOf.IsZero() {
		d.AsOf = r.OutcomesAsOf.In(s.Location).Format("15:04 02/01/2006")
	}
	d.SumNote = reach.HasReachSum(r.Totals)
	for _, f := range reportFormats {
		q := url.Values{"year": {strconv.Itoa(r.Year)}, "format": {f.ext}}
		d.Downloads = append(d.Downloads, download{Key: f.key, URL: v.Link("/api/v1/reports/annual?" + q.Encode())})
	}
	for _, k := range campaigns.Kinds {
		if n := r.ItemsByKind[k]; n > 0 {
			d.Kinds = append(d.Kinds, metricTotal{MetricKey: "kind." + k, Value: thousands(int64(n), v.Lang)})
		}
	}
	for _, o := range reach.OutcomeStates {
		if n, ok := r.Outcomes[o]; ok {
			d.Outcomes = append(d.Outcomes, metricTotal{MetricKey: "outcome." + o, Value: thousands(n, v.Lang)})
		}
	}
	for _, cp := range r.Campaigns {
		rc := reportCampaign{Title: cp.Title, Period: dmy(cp.Start), Bars: resultBars(cp.Channels, v.Lang)}
		if cp.End != cp.Start {
			rc.Period += " – " + dmy(cp.End)
		}
		if v.Can(string(manager), string(editor)) {
			rc.URL = v.Link("/reach/" + url.PathEscape(cp.ID))
		}
		d.Campaigns = append(d.Campaigns, rc)
	}
	for _, st := range r.Stations {
		d.Stations = append(d.Stations, reportStation{Name: st.Name, Village: st.Village,
			Households: thousands(int64(st.Households), v.Lang), Aired: thousands(st.Aired, v.Lang),
			Skipped: thousands(st.Skipped, v.Lang), Missed: thousands(st.Missed, v.Lang), Listeners: thousands(st.Listeners, v.Lang)})
	}
	return d
}

// pageYear reads ?year= (2000–2100; default: the current programme year),
// or shows the bad year page and returns false.
func (s *Server) pageYear(c *gin.Context) (int, bool) {
	y := c.Query("year")
	if y == "" {
		return programmeYear(s.Now().In(s.Location).Year()), true
	}
	n, err := strconv.Atoi(y)
	if err != nil || n < 2000 || n > 2100 {
		s.errorPage(c, http.StatusBadRequest, "reach.bad_year")
		return 0, false
	}
	return n, true
}

// programmeYear is year brought within the 2026–2030 programme.
func programmeYear(year int) int {
	years := campaigns.ProgrammeYears
	return min(max(year, years[0]), years[len(years)-1])
}

// yearOptions are the programme's years, and chosen if it is outside them.
func yearOptions(chosen int) []option {
	years := slices.Clone(campaigns.ProgrammeYears)
	if !slices.Contains(years, chosen) {
		years = append(years, chosen)
		slices.Sort(years)
	}
	out := make([]option, len(years))
	for i, y := range years {
		out[i] = option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)}
	}
	return out
}
