package web

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// The charts are SVG drawn by the templates from the numbers below, in
// viewBox units: a bar row is 100 wide and 10 high, stretched to the width
// of the page (preserveAspectRatio none, strokes not scaled), with its
// labels in HTML around it so that text stays readable on a phone.

// channelBar is a channel's total of its target metric against its target.
type channelBar struct {
	Channel, ChannelKey, MetricKey string
	Value, Target                  string // formatted
	HasTarget                      bool
	Percent                        int
	// W is the bar's width and TX the target line's x, in 0–100.
	W, TX string
}

// metricTotal is one metric's total on a channel.
type metricTotal struct {
	MetricKey, Value string
}

// channelTotals is every metric's total on one channel.
type channelTotals struct {
	ChannelKey string
	Metrics    []metricTotal
}

// bars lays out each channel with a target or a total.
func bars(sum reach.Summary, lang string) []channelBar {
	var out []channelBar
	for _, ch := range campaigns.Channels {
		p, hasTarget := sum.Progress[ch.Code]
		if !hasTarget && sum.Totals[ch.Code] == nil {
			continue
		}
		metric := reach.Label(ch.Code, reach.PrimaryMetric[ch.Code])
		out = append(out, channelBarOf(ch.Code, metric, sum.Totals[ch.Code][metric], p.Target, hasTarget, p.Percent, lang))
	}
	return out
}

// resultBars lays out the annual report's channel results as bars.
func resultBars(results []reach.ChannelResult, lang string) []channelBar {
	out := make([]channelBar, 0, len(results))
	for _, r := range results {
		out = append(out, channelBarOf(r.Channel, r.Metric, r.Value, r.Target, r.HasTarget, r.Percent, lang))
	}
	return out
}

// channelBarOf lays out one channel's bar: it scales to the larger of the
// value and the target (plus a margin), so the target line always shows.
func channelBarOf(channel, metric string, value, target int64, hasTarget bool, percent float64, lang string) channelBar {
	b := channelBar{Channel: channel, ChannelKey: "channel." + channel, MetricKey: "metric." + metric,
		Value: thousands(value, lang), HasTarget: hasTarget && target > 0}
	scale := float64(max(value, target)) * 1.1
	if scale == 0 {
		scale = 1
	}
	b.W = svgNum(float64(value) / scale * 100)
	if b.HasTarget {
		b.Target, b.Percent = thousands(target, lang), int(math.Round(percent))
		b.TX = svgNum(float64(target) / scale * 100)
	}
	return b
}

// totals lists every channel's metrics, in the SPEC's order of metrics.
func totals(sum reach.Summary, lang string) []channelTotals {
	var out []channelTotals
	for _, ch := range campaigns.Channels {
		m := sum.Totals[ch.Code]
		if len(m) == 0 {
			continue
		}
		ct := channelTotals{ChannelKey: "channel." + ch.Code}
		for _, metric := range append([]string{"reach_sum"}, reach.Metrics...) {
			if v, ok := m[metric]; ok {
				ct.Metrics = append(ct.Metrics, metricTotal{MetricKey: "metric." + metric, Value: thousands(v, lang)})
			}
		}
		out = append(out, ct)
	}
	return out
}

// timeline is a metric's values by day, stacked by channel.
type timeline struct {
	Days              int // the viewBox's width: one unit a day
	First, Last, Peak string
	Columns           []timelineRect
	Legend            []string // channel catalogue keys, in stacking order
	Rows              []timelineRow
}

type timelineRect struct {
	Channel, X, Y, H, Tip string
}

// timelineRow is one day of the table under the chart.
type timelineRow struct {
	Date   string
	Values []metricTotal // by channel
}

// timelineHeight is the chart's viewBox height.
const timelineHeight = 100

// layoutTimeline stacks the points on days from first to last (local
// YYYY-MM-DD, at most 400 days); tip writes a rectangle's tooltip.
func layoutTimeline(points []reach.TimelinePoint, first, last string, lang string, tip func(date, channelKey, value string) string) timeline {
	from, err1 := time.Parse(campaigns.DateLayout, first)
	to, err2 := time.Parse(campaigns.DateLayout, last)
	if err1 != nil || err2 != nil || to.Before(from) {
		return timeline{}
	}
	days := min(int(to.Sub(from).Hours()/24)+1, campaigns.MaxCalendarDays)
	perDay := map[string]map[string]int64{}
	var peak int64
	for _, p := range points {
		if perDay[p.Date] == nil {
			perDay[p.Date] = map[string]int64{}
		}
		perDay[p.Date][p.Channel] += p.Value
	}
	for _, m := range perDay {
		var total int64
		for _, v := range m {
			total += max(v, 0)
		}
		peak = max(peak, total)
	}
	t := timeline{Days: days, First: dmy(first), Last: dmy(from.AddDate(0, 0, days-1).Format(campaigns.DateLayout)),
		Peak: thousands(peak, lang)}
	used := map[string]bool{}
	for i := range days {
		date := from.AddDate(0, 0, i).Format(campaigns.DateLayout)
		m := perDay[date]
		if len(m) == 0 {
			continue
		}
		row := timelineRow{Date: dmy(date)}
		y := float64(timelineHeight)
		for _, ch := range campaigns.Channels {
			v := m[ch.Code]
			if v <= 0 {
				continue
			}
			used[ch.Code] = true
			h := float64(v) / float64(peak) * (timelineHeight - 4)
			y -= h
			key := "channel." + ch.Code
			t.Columns = append(t.Columns, timelineRect{Channel: ch.Code, X: svgNum(float64(i) + 0.1), Y: svgNum(y), H: svgNum(h),
				Tip: tip(dmy(date), key, thousands(v, lang))})
			row.Values = append(row.Values, metricTotal{MetricKey: key, Value: thousands(v, lang)})
		}
		t.Rows = append(t.Rows, row)
	}
	for _, ch := range campaigns.Channels {
		if used[ch.Code] {
			t.Legend = append(t.Legend, ch.Code)
		}
	}
	return t
}

// villageBar is one village's coverage: the households its stations cover,
// and what it heard (households × airings), each bar scaled to the largest
// village's.
type villageBar struct {
	Village                string
	Households, Listeners  string
	Airings                int64
	HW, LW                 string // bar widths, 0–100
	Others                 []metricTotal
	NoStations, NotReached bool
}

func villageBars(list []reach.Village, lang string) []villageBar {
	var maxH, maxL int64
	for _, v := range list {
		maxH, maxL = max(maxH, int64(v.Households)), max(maxL, v.Listeners)
	}
	out := make([]villageBar, 0, len(list))
	for _, v := range list {
		b := villageBar{Village: v.Village, Households: thousands(int64(v.Households), lang), Listeners: thousands(v.Listeners, lang),
			Airings: v.Airings, HW: svgNum(ratio(int64(v.Households), maxH)), LW: svgNum(ratio(v.Listeners, maxL)),
			NoStations: v.Households == 0, NotReached: v.Households > 0 && v.Airings == 0}
		keys := make([]string, 0, len(v.Metrics))
		for m := range v.Metrics {
			if m != "airings" && m != "listeners" {
				keys = append(keys, m)
			}
		}
		slices.SortFunc(keys, func(a, b string) int { return slices.Index(reach.Metrics, a) - slices.Index(reach.Metrics, b) })
		for _, m := range keys {
			b.Others = append(b.Others, metricTotal{MetricKey: "metric." + m, Value: thousands(v.Metrics[m], lang)})
		}
		out = append(out, b)
	}
	return out
}

func ratio(v, of int64) float64 {
	if of <= 0 || v <= 0 {
		return 0
	}
	return float64(v) / float64(of) * 100
}

// svgNum writes a coordinate with at most two decimals.
func svgNum(f float64) string {
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}
