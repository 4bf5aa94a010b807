package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// provinceData is the province page (/province?year=&channel=): every
// commune's year side by side (reach.ProvinceSummary, the figures of GET
// /api/v1/province/reach/summary), a bar chart of one channel, and the
// province workbook to download.
type provinceData struct {
	Year  int
	Years []option
	// Columns are the channels with values, each by its primary metric.
	Columns []provinceColumn
	Rows    []provinceRow
	Total   provinceRow
	// Channel is the charted channel, chosen among Columns.
	Channel     string
	ChartMetric string // catalogue key of its metric
	ChartLabel  string
	Chart       []communeBar
	// All is every channel and metric, a row each, the communes across.
	All         []provinceMetric
	SumNote     bool
	DownloadURL string
	Empty       bool
}

type provinceColumn struct {
	Channel, ChannelKey, MetricKey string
	metric                         string
}

// provinceRow is a commune's (or the province's) primary metrics by column.
type provinceRow struct {
	Name, URL string
	Values    []string
	Villages  string
}

// communeBar is one commune on the chart: its value, its share of the
// province total, and the bar's width (0–100, scaled to the largest).
type communeBar struct {
	Name, Value string
	HasValue    bool
	Share       int
	W           string
}

// provinceMetric is one channel and metric of every commune.
type provinceMetric struct {
	ChannelKey, MetricKey string
	Values                []string
	Total                 string
}

// provincePage shows every commune of the installation side by side for a
// year (default: the current programme year).
func (s *Server) provincePage(c *gin.Context) {
	year, ok := s.pageYear(c)
	if !ok {
		return
	}
	refs, err := s.Reach.CommuneRefs(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ps, err := s.Reach.ProvinceSummary(c, year, refs)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "province.title", nil)
	v.Title = v.T("province.heading", year)
	y := strconv.Itoa(year)
	d := provinceData{Year: year, Years: yearOptions(year), Empty: len(ps.Total) == 0,
		DownloadURL: "/api/v1/province/reports/annual?" + url.Values{"year": {y}, "format": {"xlsx"}}.Encode()}
	d.SumNote = reach.HasReachSum(ps.Total)
	for _, ch := range campaigns.Channels {
		if len(ps.Total[ch.Code]) > 0 {
			m := reach.Label(ch.Code, reach.PrimaryMetric[ch.Code])
			d.Columns = append(d.Columns, provinceColumn{Channel: ch.Code, ChannelKey: "channel." + ch.Code, MetricKey: "metric." + m, metric: m})
		}
	}
	villages := 0
	for _, ct := range ps.Communes {
		row := provinceRow{Name: ct.Name, URL: "/reports?" + url.Values{"commune": {ct.CommuneID}, "year": {y}}.Encode(),
			Villages: thousands(int64(ct.VillagesReached), v.Lang)}
		for _, col := range d.Columns {
			row.Values = append(row.Values, figure(ct.Totals, col.Channel, col.metric, v.Lang))
		}
		villages += ct.VillagesReached
		d.Rows = append(d.Rows, row)
	}
	d.Total = provinceRow{Name: v.T("province.total"), Villages: thousands(int64(villages), v.Lang)}
	for _, col := range d.Columns {
		d.Total.Values = append(d.Total.Values, figure(ps.Total, col.Channel, col.metric, v.Lang))
	}
	d.All = provinceMetrics(ps, v.Lang)
	provinceChart(&d, ps, c.Query("channel"), v)
	v.Data = d
	s.render(c, http.StatusOK, pageProvince, v)
}

// provinceChart charts one channel's primary metric (channel, or the first
// column) across the communes, largest first.
func provinceChart(d *provinceData, ps reach.ProvinceSummary, channel string, v *view) {
	i := slices.IndexFunc(d.Columns, func(col provinceColumn) bool { return col.Channel == channel })
	if i < 0 {
		i = 0
	}
	if len(d.Columns) == 0 {
		return
	}
	col := d.Columns[i]
	d.Channel, d.ChartMetric = col.Channel, col.MetricKey
	total := ps.Total[col.Channel][col.metric]
	var top int64
	for _, ct := range ps.Communes {
		top = max(top, ct.Totals[col.Channel][col.metric])
	}
	communes := slices.Clone(ps.Communes)
	slices.SortStableFunc(communes, func(a, b reach.CommuneTotals) int {
		return cmp.Compare(b.Totals[col.Channel][col.metric], a.Totals[col.Channel][col.metric])
	})
	for _, ct := range communes {
		val, has := ct.Totals[col.Channel][col.metric]
		b := communeBar{Name: ct.Name, Value: figure(ct.Totals, col.Channel, col.metric, v.Lang), HasValue: has, W: svgNum(ratio(val, top))}
		if total > 0 {
			b.Share = int(float64(val)*100/float64(total) + 0.5)
		}
		d.Chart = append(d.Chart, b)
	}
	d.ChartLabel = v.T("province.chart_label", v.T(col.ChannelKey), v.T(col.MetricKey), thousands(total, v.Lang))
}

// provinceMetrics lists every channel and metric with a value anywhere, in
// the plan's channel order and the SPEC's metric order.
func provinceMetrics(ps reach.ProvinceSummary, lang string) []provinceMetric {
	var out []provinceMetric
	for _, ch := range campaigns.Channels {
		for _, m := range append([]string{"reach_sum"}, reach.Metrics...) {
			if _, ok := ps.Total[ch.Code][m]; !ok {
				continue
			}
			pm := provinceMetric{ChannelKey: "channel." + ch.Code, MetricKey: "metric." + m, Total: thousands(ps.Total[ch.Code][m], lang)}
			for _, ct := range ps.Communes {
				pm.Values = append(pm.Values, figure(ct.Totals, ch.Code, m, lang))
			}
			out = append(out, pm)
		}
	}
	return out
}

// figure is a total as shown, "–" when nothing was recorded (unknown is
// not 0).
func figure(totals map[string]map[string]int64, channel, metric, lang string) string {
	v, ok := totals[channel][metric]
	if !ok {
		return "–"
	}
	return thousands(v, lang)
}
