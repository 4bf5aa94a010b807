package reach

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// The annual report counts every delivery's outcome per item, channel and
// station. Finished deliveries leave the scheduler's hot collection for its
// archive after two days, and the archive of five years (60,000 documents)
// takes seconds to scan on the embedded store, so the report reads counters
// instead, kept in reach_outcomes:
//
//	od|<commune>|<YYYY-MM-DD>  the outcome of each delivery of that day, by
//	                           delivery id (s.<id>: "state|item|channel|station|campaign"),
//	                           and the title, kind and campaign of its items (it.<item>)
//	om|<commune>|<YYYY-MM>     counts per item and channel and per station,
//	                           rebuilt from the month's day documents
//
// Tally copies the outcomes of the finished deliveries still in the hot
// collection (the clock runs it hourly, well within the two days, and the
// report runs it first). Outcomes are set, not added, by delivery id, so
// tallying again, a retry that turns dead into sent, or a late airing
// confirmation all leave exact counts.

// Outcome states: the finished delivery states, with a loudspeaker slot the
// operator reported skipped told apart from one nobody confirmed (missed).
const (
	OutcomeSent      = "sent"
	OutcomeMissed    = "missed"
	OutcomeSkipped   = "skipped"
	OutcomeDead      = "dead"
	OutcomeCancelled = "cancelled"
)

// OutcomeStates lists the outcome states in report order.
var OutcomeStates = []string{OutcomeSent, OutcomeMissed, OutcomeSkipped, OutcomeDead, OutcomeCancelled}

// DeliveryOutcome is a finished delivery as the report counts it.
type DeliveryOutcome struct {
	ID         string
	ItemID     string
	CampaignID string
	Kind       string
	Title      string
	Channel    string
	StationID  string
	Day        string // local YYYY-MM-DD of its occurrence
	State      string // sent, missed, dead or cancelled
	Skipped    bool   // a loudspeaker slot the operator reported skipped
}

func (o DeliveryOutcome) outcome() string {
	if o.Skipped && o.State == OutcomeMissed {
		return OutcomeSkipped
	}
	return o.State
}

// DeliverySource lists the finished deliveries (sent, missed, dead,
// cancelled) of the scope's commune that are still in the scheduler's hot
// collection.
type DeliverySource func(ctx context.Context) ([]DeliveryOutcome, error)

type outcomeItemMeta struct {
	Title      string `bson:"t"`
	Kind       string `bson:"k"`
	CampaignID string `bson:"c"`
}

type outcomeDay struct {
	ID    string                     `bson:"_id"`
	Day   string                     `bson:"day"`
	S     map[string]string          `bson:"s"`
	Items map[string]outcomeItemMeta `bson:"it"`
}

type outcomeMonthItem struct {
	Title      string                      `bson:"t"`
	Kind       string                      `bson:"k"`
	CampaignID string                      `bson:"c"`
	N          map[string]map[string]int64 `bson:"n"` // channel → outcome → count
}

type outcomeMonth struct {
	ID        string                      `bson:"_id"`
	Kind      string                      `bson:"kind"`
	CommuneID string                      `bson:"commune_id"`
	Month     string                      `bson:"month"`
	Year      int                         `bson:"year"`
	Items     map[string]outcomeMonthItem `bson:"items"`
	Stations  map[string]map[string]int64 `bson:"stations"` // station → outcome → count
	BuiltAt   time.Time                   `bson:"built_at"`
}

func outcomeDayID(commune, day string) string     { return "od|" + commune + "|" + day }
func outcomeMonthID(commune, month string) string { return "om|" + commune + "|" + month }

// Tally copies the outcomes of the scope's commune's finished deliveries
// from the hot collection (Deliveries) into the counters. Without a
// Deliveries source it does nothing.
func (s *Service) Tally(ctx context.Context) error {
	if s.Deliveries == nil {
		return nil
	}
	list, err := s.Deliveries(ctx)
	if err != nil {
		return fmt.Errorf("listing finished deliveries: %w", err)
	}
	return s.RecordOutcomes(ctx, list)
}

// TallyAll runs Tally for each commune (the clock's job).
func (s *Service) TallyAll(ctx context.Context, communes []string) error {
	for _, c := range communes {
		if err := s.Tally(store.WithScope(ctx, store.Scope{CommuneID: c})); err != nil {
			return fmt.Errorf("commune %s: %w", c, err)
		}
	}
	return nil
}

// RecordOutcomes sets the outcome of each delivery of the scope's commune
// and rebuilds the counters of the months it touched. Unchanged outcomes
// write nothing.
func (s *Service) RecordOutcomes(ctx context.Context, list []DeliveryOutcome) error {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	byDay := map[string][]DeliveryOutcome{}
	for _, o := range list {
		if validDay(o.Day) && o.ID != "" && slices.Contains(OutcomeStates, o.outcome()) {
			byDay[o.Day] = append(byDay[o.Day], o)
		}
	}
	months := map[string]bool{}
	for _, day := range slices.Sorted(maps.Keys(byDay)) {
		changed, err := s.setDayOutcomes(ctx, sc.CommuneID, day, byDay[day])
		if err != nil {
			return err
		}
		if changed {
			months[day[:7]] = true
		}
	}
	for _, m := range slices.Sorted(maps.Keys(months)) {
		if err := s.rebuildOutcomeMonth(ctx, sc.CommuneID, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) setDayOutcomes(ctx context.Context, commune, day string, list []DeliveryOutcome) (bool, error) {
	id := outcomeDayID(commune, day)
	var have outcomeDay
	if err := store.FindByID(ctx, s.outcomes, id, &have); err != nil && !store.IsNoDocuments(err) {
		return false, fmt.Errorf("reading delivery outcomes: %w", err)
	}
	set := bson.M{}
	for _, o := range list {
		key := escapeKey(o.ID)
		val := strings.Join([]string{o.outcome(), o.ItemID, o.Channel, o.StationID, o.CampaignID}, "|")
		if have.S[key] != val {
			set["s."+key] = val
		}
		meta := outcomeItemMeta{Title: o.Title, Kind: o.Kind, CampaignID: o.CampaignID}
		if ik := escapeKey(o.ItemID); have.Items[ik] != meta {
			set["it."+ik] = meta
		}
	}
	if len(set) == 0 {
		return false, nil
	}
	_, err := s.outcomes.UpdateOne(ctx, bson.M{"_id": id}, bson.M{
		"$setOnInsert": bson.M{"kind": "od", "commune_id": commune, "day": day, "month": day[:7]},
		"$set":         set,
	}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return false, fmt.Errorf("storing delivery outcomes: %w", err)
	}
	return true, nil
}

// rebuildOutcomeMonth recounts a month's counters from its day documents.
func (s *Service) rebuildOutcomeMonth(ctx context.Context, commune, month string) error {
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return fmt.Errorf("outcome month %q: %w", month, err)
	}
	year, _ := strconv.Atoi(month[:4])
	m := outcomeMonth{ID: outcomeMonthID(commune, month), Kind: "om", CommuneID: commune, Month: month, Year: year,
		Items: map[string]outcomeMonthItem{}, Stations: map[string]map[string]int64{}, BuiltAt: s.now().UTC()}
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		var day outcomeDay
		err := store.FindByID(ctx, s.outcomes, outcomeDayID(commune, d.Format(campaigns.DateLayout)), &day)
		if store.IsNoDocuments(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading delivery outcomes: %w", err)
		}
		m.add(day)
	}
	_, err = s.outcomes.ReplaceOne(ctx, bson.M{"_id": m.ID}, m, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("storing outcome counters: %w", err)
	}
	return nil
}

func (m *outcomeMonth) add(day outcomeDay) {
	for _, v := range day.S {
		parts := strings.SplitN(v, "|", 5)
		if len(parts) != 5 {
			continue
		}
		state, item, channel, station := parts[0], escapeKey(parts[1]), parts[2], escapeKey(parts[3])
		it, ok := m.Items[item]
		if !ok {
			meta := day.Items[item]
			it = outcomeMonthItem{Title: meta.Title, Kind: meta.Kind, CampaignID: meta.CampaignID, N: map[string]map[string]int64{}}
			if it.CampaignID == "" {
				it.CampaignID = parts[4]
			}
		}
		if it.N[channel] == nil {
			it.N[channel] = map[string]int64{}
		}
		it.N[channel][state]++
		m.Items[item] = it
		if station != "" {
			if m.Stations[station] == nil {
				m.Stations[station] = map[string]int64{}
			}
			m.Stations[station][state]++
		}
	}
}

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
	Items    []ItemOutcomes              `json:"items"`
	Stations map[string]map[string]int64 `json:"stations"`
	Totals   map[string]int64            `json:"totals"`
}

// Outcomes reads the year's counters of the scope's commune.
func (s *Service) Outcomes(ctx context.Context, year int) (YearOutcomes, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return YearOutcomes{}, err
	}
	out := YearOutcomes{Stations: map[string]map[string]int64{}, Totals: map[string]int64{}}
	items := map[string]*ItemOutcomes{}
	for mo := 1; mo <= 12; mo++ {
		var m outcomeMonth
		err := store.FindByID(ctx, s.outcomes, outcomeMonthID(sc.CommuneID, fmt.Sprintf("%04d-%02d", year, mo)), &m)
		if store.IsNoDocuments(err) {
			continue
		}
		if err != nil {
			return YearOutcomes{}, fmt.Errorf("reading outcome counters: %w", err)
		}
		for key, it := range m.Items {
			for ch, counts := range it.N {
				io := items[key+"|"+ch]
				if io == nil {
					io = &ItemOutcomes{ItemID: unescapeKey(key), CampaignID: it.CampaignID, Title: it.Title, Kind: it.Kind,
						Channel: ch, Counts: map[string]int64{}}
					items[key+"|"+ch] = io
				}
				for st, n := range counts {
					io.Counts[st] += n
					out.Totals[st] += n
				}
			}
		}
		for key, counts := range m.Stations {
			id := unescapeKey(key)
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
