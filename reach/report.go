package reach

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// The annual report (SPEC §3G, issue 7) is built once from digests and
// outcome counters (never from raw events or the delivery archive) into an
// AnnualReport, then written as XLSX, PDF or CSV by report_xlsx.go,
// report_pdf.go and report_csv.go. Its content and form follow the
// commune's plan (reference/ke-hoach-2026-2030.md).

// ReportInput is what the report needs from outside the reach domain.
type ReportInput struct {
	CommuneName string        // "Xã Liên Minh"
	Stations    []StationInfo // the commune's loudspeaker stations
	Signer      string        // the name under the signature, if known
}

// StationInfo is a loudspeaker station as the report shows it.
type StationInfo struct {
	ID         string
	Name       string
	Village    string
	Households int
}

// AnnualReport is everything the annual report shows.
type AnnualReport struct {
	Year        int
	CommuneID   string
	CommuneName string
	Generated   time.Time // in the commune's time zone
	Signer      string
	Campaigns   []CampaignResult
	Channels    []ChannelResult             // the year, per channel, against the sum of targets
	Totals      map[string]map[string]int64 // the year's values, channel → labelled metric
	Activities  []ActivityResult
	Stations    []StationResult
	Villages    []Village
	Outcomes    map[string]int64 // deliveries of the year per outcome
	ItemsByKind map[string]int
	// OutcomesAsOf is when the delivery outcome counts were last tallied
	// (zero when none are); Notes says it in words.
	OutcomesAsOf time.Time
	Notes        []string
}

// CampaignResult is one campaign's values against its targets.
type CampaignResult struct {
	ID         string
	Title      string
	Observance string
	Start, End string
	Channels   []ChannelResult
}

// ChannelResult is a channel's primary metric against its target, and all
// its metrics.
type ChannelResult struct {
	Channel   string
	Metric    string // labelled primary metric (reach_sum for social reach)
	Value     int64
	Target    int64
	HasTarget bool
	Percent   float64
	Metrics   map[string]int64
}

// ActivityResult is an item on one channel: its delivery outcomes and what
// it reached (the channel's primary metric).
type ActivityResult struct {
	CampaignID    string
	CampaignTitle string
	ItemID        string
	Title         string
	Kind          string
	Channel       string
	Counts        map[string]int64
	Reach         int64
	ReachMetric   string
}

// StationResult is a loudspeaker station's year.
type StationResult struct {
	ID, Name, Village string
	Households        int
	Aired             int64
	Skipped           int64
	Missed            int64
	Listeners         int64 // households × airings
}

// AnnualReport builds the year's report of the scope's commune. Reach
// figures and the outcomes of deliveries sent, aired, skipped or dead are
// current (recorded as they happen); cancellations and unconfirmed slots
// are counted by the clock's half-hourly tally, which the notes say.
func (s *Service) AnnualReport(ctx context.Context, year int, in ReportInput) (*AnnualReport, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	r := &AnnualReport{Year: year, CommuneID: sc.CommuneID, CommuneName: in.CommuneName, Generated: s.now().In(s.loc),
		Signer: in.Signer, Notes: []string{}}
	y := strconv.Itoa(year)
	camps, err := s.camps.ListCampaigns(ctx, y+"-01-01", y+"-12-31")
	if err != nil {
		return nil, err
	}
	itemReach, err := s.reportCampaigns(ctx, r, camps)
	if err != nil {
		return nil, err
	}
	if err := s.reportYear(ctx, r, camps, in.Stations); err != nil {
		return nil, err
	}
	out, err := s.Outcomes(ctx, year)
	if err != nil {
		return nil, err
	}
	r.Outcomes, r.OutcomesAsOf = out.Totals, out.AsOf
	if !out.AsOf.IsZero() {
		r.Notes = append(r.Notes, "Số lượt đăng, phát tính đến "+out.AsOf.In(s.loc).Format("15:04 ngày 02/01/2006")+
			"; lượt bị hủy và lượt phát loa không được xác nhận được cộng 30 phút một lần.")
	}
	s.reportActivities(ctx, r, camps, out, itemReach)
	r.Stations = reportStations(in.Stations, out.Stations)
	if HasReachSum(r.Totals) {
		r.Notes = append(r.Notes, ReachSumNote)
	}
	return r, nil
}

// reportCampaigns fills the campaigns' results and returns what each item
// reached in its channels' primary metrics, by item and channel.
func (s *Service) reportCampaigns(ctx context.Context, r *AnnualReport, camps []campaigns.Campaign) (map[string]map[string]int64, error) {
	items := map[string]map[string]int64{}
	for _, c := range camps {
		d, err := s.campaignDigest(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		r.Campaigns = append(r.Campaigns, CampaignResult{ID: c.ID, Title: c.Title, Observance: c.Observance, Start: c.Start, End: c.End,
			Channels: channelResults(labelled(d.T), c.Targets, nil)})
		for key, byChannel := range d.I {
			items[unescapeKey(key)] = byChannel
		}
	}
	return items, nil
}

// reportYear fills the year's totals, progress and village coverage.
func (s *Service) reportYear(ctx context.Context, r *AnnualReport, camps []campaigns.Campaign, stations []StationInfo) error {
	d, err := s.yearDigest(ctx, r.Year)
	if err != nil {
		return err
	}
	totals, values := d.T, villageValues(d.V)
	targets := map[string]int64{}
	for _, c := range camps {
		for ch, v := range c.Targets {
			targets[ch] += v
		}
	}
	r.Totals = labelled(totals)
	r.Channels = channelResults(r.Totals, targets, nil)
	villages := map[string]*Village{}
	for name, metrics := range values {
		villages[name] = &Village{Village: name, Metrics: maps.Clone(metrics)}
	}
	sum := Summary{}
	households := func(context.Context) (map[string]int, error) {
		out := map[string]int{}
		for _, st := range stations {
			out[st.Village] += st.Households
		}
		return out, nil
	}
	if err := s.fillVillages(ctx, &sum, villages, households); err != nil {
		return err
	}
	r.Villages = sum.Villages
	return nil
}

// channelResults lists, in the plan's channel order, every channel with a
// value, a target or in also.
func channelResults(totals map[string]map[string]int64, targets map[string]int64, also []string) []ChannelResult {
	var out []ChannelResult
	for _, ch := range campaigns.Channels {
		_, hasValue := totals[ch.Code]
		target, hasTarget := targets[ch.Code]
		if !hasValue && !hasTarget && !slices.Contains(also, ch.Code) {
			continue
		}
		m := Label(ch.Code, PrimaryMetric[ch.Code])
		cr := ChannelResult{Channel: ch.Code, Metric: m, Value: totals[ch.Code][m], Target: target, HasTarget: hasTarget,
			Metrics: maps.Clone(totals[ch.Code])}
		if cr.Metrics == nil {
			cr.Metrics = map[string]int64{}
		}
		if target > 0 {
			cr.Percent = float64(cr.Value) * 100 / float64(target)
		}
		out = append(out, cr)
	}
	return out
}

// reportActivities fills the activities from the outcome counters, with
// campaign titles and what each item reached.
func (s *Service) reportActivities(ctx context.Context, r *AnnualReport, camps []campaigns.Campaign, out YearOutcomes, reach map[string]map[string]int64) {
	titles, starts := map[string]string{}, map[string]string{}
	for _, c := range camps {
		titles[c.ID], starts[c.ID] = c.Title, c.Start
	}
	r.ItemsByKind = map[string]int{}
	seen := map[string]bool{}
	for _, it := range out.Items {
		if _, ok := titles[it.CampaignID]; !ok {
			titles[it.CampaignID] = it.CampaignID
			if c, err := s.camps.GetCampaign(ctx, it.CampaignID); err == nil {
				titles[c.ID], starts[c.ID] = c.Title, c.Start
			}
		}
		m := Label(it.Channel, PrimaryMetric[it.Channel])
		r.Activities = append(r.Activities, ActivityResult{CampaignID: it.CampaignID, CampaignTitle: titles[it.CampaignID],
			ItemID: it.ItemID, Title: it.Title, Kind: it.Kind, Channel: it.Channel, Counts: it.Counts,
			Reach: reach[it.ItemID][it.Channel], ReachMetric: m})
		if !seen[it.ItemID] {
			seen[it.ItemID] = true
			r.ItemsByKind[it.Kind]++
		}
	}
	slices.SortStableFunc(r.Activities, func(a, b ActivityResult) int {
		return cmp.Or(cmp.Compare(starts[a.CampaignID], starts[b.CampaignID]), cmp.Compare(a.CampaignTitle, b.CampaignTitle),
			campaigns.CompareVietnamese(a.Title, b.Title), cmp.Compare(channelOrder(a.Channel), channelOrder(b.Channel)))
	})
}

func channelOrder(ch string) int {
	return slices.IndexFunc(campaigns.Channels, func(c campaigns.Code) bool { return c.Code == ch })
}

// reportStations joins the stations with their outcome counts; a station
// that has counts but no longer exists is listed by its id.
func reportStations(stations []StationInfo, counts map[string]map[string]int64) []StationResult {
	var out []StationResult
	known := map[string]bool{}
	add := func(st StationInfo) {
		c := counts[st.ID]
		out = append(out, StationResult{ID: st.ID, Name: st.Name, Village: st.Village, Households: st.Households,
			Aired: c[OutcomeSent], Skipped: c[OutcomeSkipped], Missed: c[OutcomeMissed],
			Listeners: int64(st.Households) * c[OutcomeSent]})
	}
	for _, st := range stations {
		known[st.ID] = true
		add(st)
	}
	for _, id := range slices.Sorted(maps.Keys(counts)) {
		if !known[id] {
			add(StationInfo{ID: id, Name: id})
		}
	}
	slices.SortStableFunc(out, func(a, b StationResult) int {
		return cmp.Or(campaigns.CompareVietnamese(a.Village, b.Village), campaigns.CompareVietnamese(a.Name, b.Name))
	})
	return out
}
