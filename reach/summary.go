package reach

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// sumLabelled are channels whose "reach" is unique per post: summed across
// posts it is not a count of people, so it is reported as reach_sum.
var sumLabelled = []string{"facebook", "zalo"}

// Label is the name a metric of a channel is reported under.
func Label(channel, metric string) string {
	if metric == "reach" && slices.Contains(sumLabelled, channel) {
		return "reach_sum"
	}
	return metric
}

// Summary is what a campaign or a year reached, against targets.
type Summary struct {
	CampaignID string                      `json:"campaign_id,omitempty"`
	Year       int                         `json:"year,omitempty"`
	Totals     map[string]map[string]int64 `json:"totals"`
	Targets    map[string]int64            `json:"targets"`
	Progress   map[string]Progress         `json:"progress"`
	Villages   []Village                   `json:"villages"`
	Notes      []string                    `json:"notes"`
	// Notice is the report deadline reminder, from 01/11 to 24/11 (notice.go).
	Notice *Notice `json:"notice,omitempty"`
}

// Progress is a channel's primary metric against its target.
type Progress struct {
	Metric  string  `json:"metric"`
	Value   int64   `json:"value"`
	Target  int64   `json:"target"`
	Percent float64 `json:"percent"`
}

// Village is what reached one village, and the households its stations cover.
type Village struct {
	Village    string           `json:"village"`
	Households int              `json:"households"`
	Metrics    map[string]int64 `json:"metrics"`
	Airings    int64            `json:"airings"`
	Listeners  int64            `json:"listeners"`
	Covered    bool             `json:"covered"`
}

// VillageHouseholds gives the households covered by stations per village.
type VillageHouseholds func(ctx context.Context) (map[string]int, error)

// CampaignSummary summarises one campaign of the caller's commune.
func (s *Service) CampaignSummary(ctx context.Context, campaignID string, households VillageHouseholds) (Summary, error) {
	camp, err := s.camps.GetCampaign(ctx, campaignID)
	if err != nil {
		return Summary{}, err
	}
	d, err := s.campaignDigest(ctx, camp.ID)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{CampaignID: camp.ID, Targets: camp.Targets}
	if sum.Targets == nil {
		sum.Targets = map[string]int64{}
	}
	return sum, s.fill(ctx, &sum, d.T, villageValues(d.V), households)
}

// YearSummary summarises every campaign of a year of the caller's commune:
// the year's values are those of events dated in it, and the targets are
// the sum of the targets of the campaigns that overlap it.
func (s *Service) YearSummary(ctx context.Context, year int, households VillageHouseholds) (Summary, error) {
	if err := checkYear(year); err != nil {
		return Summary{}, err
	}
	targets, err := s.yearTargets(ctx, year)
	if err != nil {
		return Summary{}, err
	}
	d, err := s.yearDigest(ctx, year)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Year: year, Targets: targets}
	return sum, s.fill(ctx, &sum, d.T, villageValues(d.V), households)
}

// fill puts a digest's totals and villages into sum, with progress against
// the targets, notes and the report deadline notice.
func (s *Service) fill(ctx context.Context, sum *Summary, totals, villageValues map[string]map[string]int64, households VillageHouseholds) error {
	sum.Totals, sum.Progress, sum.Notes = labelled(totals), map[string]Progress{}, []string{}
	villages := map[string]*Village{}
	for name, metrics := range villageValues {
		villages[name] = &Village{Village: name, Metrics: maps.Clone(metrics)}
	}
	sum.Progress = progress(sum.Totals, sum.Targets)
	if HasReachSum(sum.Totals) {
		sum.Notes = append(sum.Notes, ReachSumNote)
	}
	notice, ok, err := s.CurrentNotice(ctx)
	if err != nil {
		return err
	}
	if ok {
		sum.Notice = &notice
		sum.Notes = append(sum.Notes, notice.Message)
	}
	return s.fillVillages(ctx, sum, villages, households)
}

func (s *Service) fillVillages(ctx context.Context, sum *Summary, villages map[string]*Village, households VillageHouseholds) error {
	hh, err := households(ctx)
	if err != nil {
		return err
	}
	for name, n := range hh {
		if villages[name] == nil {
			villages[name] = &Village{Village: name, Metrics: map[string]int64{}}
		}
		villages[name].Households = n
	}
	sum.Villages = []Village{}
	for _, v := range villages {
		v.Airings, v.Listeners = v.Metrics["airings"], v.Metrics["listeners"]
		v.Covered = v.Airings > 0
		sum.Villages = append(sum.Villages, *v)
	}
	slices.SortFunc(sum.Villages, func(a, b Village) int { return campaigns.CompareVietnamese(a.Village, b.Village) })
	return nil
}

// ReachSumNote explains reach_sum wherever it is shown.
const ReachSumNote = "reach_sum cộng số người tiếp cận của từng bài, không phải số người khác nhau (a sum over posts, not unique people)"

// labelled copies totals with each metric under its Label.
func labelled(totals map[string]map[string]int64) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for ch, metrics := range totals {
		out[ch] = map[string]int64{}
		for m, v := range metrics {
			out[ch][Label(ch, m)] += v
		}
	}
	return out
}

// HasReachSum reports whether totals hold a reach_sum (a sum over posts),
// which every page showing them explains (ReachSumNote).
func HasReachSum(totals map[string]map[string]int64) bool {
	for _, metrics := range totals {
		if _, ok := metrics["reach_sum"]; ok {
			return true
		}
	}
	return false
}

// progress is each target's channel's primary metric against the target.
func progress(totals map[string]map[string]int64, targets map[string]int64) map[string]Progress {
	out := map[string]Progress{}
	for ch, target := range targets {
		m := Label(ch, PrimaryMetric[ch])
		p := Progress{Metric: m, Value: totals[ch][m], Target: target}
		if target > 0 {
			p.Percent = float64(p.Value) * 100 / float64(target)
		}
		out[ch] = p
	}
	return out
}

// TimelinePoint is one day's value of a metric on a channel.
type TimelinePoint struct {
	Date    string `json:"date"`
	Channel string `json:"channel"`
	Metric  string `json:"metric"`
	Value   int64  `json:"value"`
}

// Timeline returns a campaign's values by day and channel, of one metric or
// all, from its week digests.
func (s *Service) Timeline(ctx context.Context, campaignID, metric string) ([]TimelinePoint, error) {
	if metric != "" && !KnownMetric(metric) && metric != "reach_sum" {
		return nil, apperr.Invalid("metric", "unknown metric %q", metric)
	}
	if _, err := s.camps.GetCampaign(ctx, campaignID); err != nil {
		return nil, err
	}
	if metric == "reach_sum" {
		metric = "reach"
	}
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	camp, err := s.campaignDigest(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	out := []TimelinePoint{}
	for week := range camp.W {
		var d weekDigest
		if err := s.readDigest(ctx, weeksColl(week), weekID(sc.CommuneID, campaignID, week), &d); err != nil {
			return nil, err
		}
		for day, channels := range d.D {
			for ch, metrics := range channels {
				for m, v := range metrics {
					if metric == "" || m == metric {
						out = append(out, TimelinePoint{Date: day, Channel: ch, Metric: Label(ch, m), Value: v})
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b TimelinePoint) int {
		if a.Date != b.Date {
			return strings.Compare(a.Date, b.Date)
		}
		return strings.Compare(a.Channel+a.Metric, b.Channel+b.Metric)
	})
	return out, nil
}
