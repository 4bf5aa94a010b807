package reach

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lantoa/lantoa/store"
)

// ItemOutcomes are the outcome counts of one item on one channel.
type ItemOutcomes struct {
	ItemID     string           `json:"item_id"`
	CampaignID string           `json:"campaign_id"`
	Title      string           `json:"title"`
	Kind       string           `json:"kind"`
	Channel    string           `json:"channel"`
	Counts     map[string]int64 `json:"counts"`
}

// YearOutcomes are a year's delivery outcomes per item and channel and per
// loudspeaker station (deliveries by the year of their occurrence).
type YearOutcomes struct {
	// AsOf is when the latest of the year's counts was built.
	AsOf     time.Time                   `json:"as_of"`
	Items    []ItemOutcomes              `json:"items"`
	Stations map[string]map[string]int64 `json:"stations"`
	Totals   map[string]int64            `json:"totals"`
}

// Outcomes reads the year's counters of the scope's commune.
func (s *Counters) Outcomes(ctx context.Context, year int) (YearOutcomes, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return YearOutcomes{}, err
	}
	out := YearOutcomes{Stations: map[string]map[string]int64{}, Totals: map[string]int64{}}
	items := map[string]*ItemOutcomes{}
	for mo := 1; mo <= 12; mo++ {
		var m outcomeCounts
		err := store.FindByID(ctx, s.counts, outcomeCountsID(sc.CommuneID, fmt.Sprintf("%04d-%02d", year, mo)), &m)
		if store.IsNoDocuments(err) {
			continue
		}
		if err != nil {
			return YearOutcomes{}, fmt.Errorf("reading outcome counters: %w", err)
		}
		if m.BuiltAt.After(out.AsOf) {
			out.AsOf = m.BuiltAt
		}
		var mc monthCounts
		if err := json.Unmarshal([]byte(m.Data), &mc); err != nil {
			return YearOutcomes{}, fmt.Errorf("outcome counters of %s: %w", m.Month, err)
		}
		for key, it := range mc.Items {
			for ch, counts := range it.N {
				io := items[key+"|"+ch]
				if io == nil {
					io = &ItemOutcomes{ItemID: key, CampaignID: it.CampaignID, Title: it.Title, Kind: it.Kind,
						Channel: ch, Counts: map[string]int64{}}
					items[key+"|"+ch] = io
				}
				for st, n := range counts {
					io.Counts[st] += n
					out.Totals[st] += n
				}
			}
		}
		for id, counts := range mc.Stations {
			if out.Stations[id] == nil {
				out.Stations[id] = map[string]int64{}
			}
			for st, n := range counts {
				out.Stations[id][st] += n
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(items)) {
		out.Items = append(out.Items, *items[k])
	}
	return out, nil
}
