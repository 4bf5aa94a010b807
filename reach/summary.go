package reach

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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
	sum := Summary{CampaignID: camp.ID, Targets: camp.Targets}
	return sum, s.fill(ctx, &sum, bson.M{"campaign_id": camp.ID}, KindTotal, KindVillage, households)
}

// YearSummary summarises every campaign of a year of the caller's commune.
func (s *Service) YearSummary(ctx context.Context, year int, households VillageHouseholds) (Summary, error) {
	if year < 2000 || year > 2100 {
		return Summary{}, apperr.Invalid("year", "must be a year between 2000 and 2100")
	}
	y := strconv.Itoa(year)
	camps, err := s.camps.ListCampaigns(ctx, y+"-01-01", y+"-12-31")
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Year: year, Targets: map[string]int64{}}
	for _, c := range camps {
		for ch, v := range c.Targets {
			sum.Targets[ch] += v
		}
	}
	return sum, s.fill(ctx, &sum, bson.M{"year": year}, KindYear, KindYearVillage, households)
}

// fill reads the rollups of one scope (a campaign or a year) into sum.
func (s *Service) fill(ctx context.Context, sum *Summary, cond bson.M, total, village string, households VillageHouseholds) error {
	cond["kind"] = bson.M{"$in": []string{total, village}}
	rows, err := s.read(ctx, cond)
	if err != nil {
		return err
	}
	sum.Totals, sum.Progress, sum.Notes = map[string]map[string]int64{}, map[string]Progress{}, []string{}
	villages := map[string]*Village{}
	for _, r := range rows {
		if r.Kind == total {
			if sum.Totals[r.Channel] == nil {
				sum.Totals[r.Channel] = map[string]int64{}
			}
			sum.Totals[r.Channel][Label(r.Channel, r.Metric)] += r.Value
			continue
		}
		v := villages[r.Village]
		if v == nil {
			v = &Village{Village: r.Village, Metrics: map[string]int64{}}
			villages[r.Village] = v
		}
		v.Metrics[r.Metric] += r.Value
	}
	for ch, target := range sum.Targets {
		m := PrimaryMetric[ch]
		p := Progress{Metric: Label(ch, m), Value: sum.Totals[ch][Label(ch, m)], Target: target}
		if target > 0 {
			p.Percent = float64(p.Value) * 100 / float64(target)
		}
		sum.Progress[ch] = p
	}
	if _, ok := sum.Totals["facebook"]["reach_sum"]; ok {
		sum.Notes = append(sum.Notes, "reach_sum cộng số người tiếp cận của từng bài, không phải số người khác nhau (a sum over posts, not unique people)")
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

// TimelinePoint is one day's value of a metric on a channel.
type TimelinePoint struct {
	Date    string `json:"date"`
	Channel string `json:"channel"`
	Metric  string `json:"metric"`
	Value   int64  `json:"value"`
}

// Timeline returns a campaign's values by day and channel, of one metric or all.
func (s *Service) Timeline(ctx context.Context, campaignID, metric string) ([]TimelinePoint, error) {
	if metric != "" && !KnownMetric(metric) && metric != "reach_sum" {
		return nil, apperr.Invalid("metric", "unknown metric %q", metric)
	}
	if _, err := s.camps.GetCampaign(ctx, campaignID); err != nil {
		return nil, err
	}
	cond := bson.M{"kind": KindDay, "campaign_id": campaignID}
	if metric == "reach_sum" {
		metric = "reach"
	}
	if metric != "" {
		cond["metric"] = metric
	}
	rows, err := s.read(ctx, cond)
	if err != nil {
		return nil, err
	}
	out := make([]TimelinePoint, 0, len(rows))
	for _, r := range rows {
		out = append(out, TimelinePoint{Date: r.Day, Channel: r.Channel, Metric: Label(r.Channel, r.Metric), Value: r.Value})
	}
	slices.SortFunc(out, func(a, b TimelinePoint) int {
		if a.Date != b.Date {
			return strings.Compare(a.Date, b.Date)
		}
		return strings.Compare(a.Channel+a.Metric, b.Channel+b.Metric)
	})
	return out, nil
}

func (s *Service) read(ctx context.Context, cond bson.M) ([]Rollup, error) {
	f, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cur, err := s.rollups.Find(ctx, f, options.Find())
	if err != nil {
		return nil, fmt.Errorf("reading rollups: %w", err)
	}
	var rows []Rollup
	return rows, cur.All(ctx, &rows)
}
