package reach

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/store"
)

// The annual report counts every delivery's outcome per item, channel and
// station. Finished deliveries leave the deliveries' hot collection for its
// archive after two days, and the archive of five years (60,000 documents)
// takes seconds to scan on the embedded store, so the report reads counters
// instead. They live in two collections, because an _id lookup on the
// embedded store reads through its whole collection (its SQLite index on
// _id is not used), so what the report reads must sit in a small one:
//
//	reach_outcomes        om|<commune>|<YYYY-MM>: the outcome of each delivery of the
//	                      month by delivery id, and the kind, campaign and title of
//	                      its items, as JSON strings, with a version (written by
//	                      RecordOutcomes, replaced whole under the month's lock)
//	reach_outcome_counts  oc|<commune>|<YYYY-MM>: the month's counts per item and
//	                      channel and per station (one JSON string, a few kB)
//
// The deliveries record each delivery that ends here at once (sent, dead,
// missed, an airing aired or skipped), and every half hour retell the
// outcomes of the finished deliveries still in their hot collection
// (deliveries.Service.Retell, well within the two days): the safety net for what is changed
// in bulk (cancellations, unconfirmed slots marked missed) and for a
// recording that failed. Outcomes are set, not added, by delivery id, so
// tallying again, a retry that turns dead into sent, or a late airing
// confirmation all leave exact counts. The counts are written after the
// outcomes they come from and tagged with their version: a tally that
// cannot write leaves the last good counts in place, and one that stops in
// between is finished by the next (ensureCounts).

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

type outcomeMonthItem struct {
	Title      string                      `json:"t"`
	Kind       string                      `json:"k"`
	CampaignID string                      `json:"c"`
	N          map[string]map[string]int64 `json:"n"` // channel → outcome → count
}

// monthCounts is a month's counters.
type monthCounts struct {
	Items    map[string]outcomeMonthItem `json:"items"`    // by item id
	Stations map[string]map[string]int64 `json:"stations"` // station → outcome → count
}

// outcomeMonth is a month's outcomes: Entries and Items are JSON objects
// (delivery id → "state|item|channel|station|campaign", item id →
// "kind|campaign|title"): one value each, whatever the month holds.
type outcomeMonth struct {
	ID        string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	CommuneID string    `bson:"commune_id"`
	Month     string    `bson:"month"`
	Version   int       `bson:"version"`
	Entries   string    `bson:"entries"`
	Items     string    `bson:"items"`
	UpdatedAt time.Time `bson:"updated_at"`
}

// outcomeCounts is a month's counts, built from its outcomes of Version.
type outcomeCounts struct {
	ID        string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	CommuneID string    `bson:"commune_id"`
	Month     string    `bson:"month"`
	Year      int       `bson:"year"`
	Version   int       `bson:"version"`
	Data      string    `bson:"data"`
	BuiltAt   time.Time `bson:"built_at"`
}

func outcomeMonthID(commune, month string) string  { return "om|" + commune + "|" + month }
func outcomeCountsID(commune, month string) string { return "oc|" + commune + "|" + month }

// Counters are the delivery outcome counters: the reach_outcomes and
// reach_outcome_counts collections. They need nothing but the store, so
// that they are built before the deliveries, which tell them of every
// delivery that ends (deliveries.OutcomeRecorder); the Service embeds them
// to read them into the report.
type Counters struct {
	db       *mongo.Database
	outcomes *mongo.Collection
	counts   *mongo.Collection
	now      func() time.Time
	log      *slog.Logger

	// mu serialises this replica's writes of delivery outcomes: each is a
	// read and a version-checked replace of the month's document, and
	// thirty stations confirming at 06:00 would otherwise contend (other
	// replicas still go through the version check).
	mu sync.Mutex

	// failWrite, set by tests only, is asked before each write and fails
	// it when it returns an error (see Service.failWrite).
	failWrite func(coll string) error
}

// NewCounters returns the outcome counters over db.
func NewCounters(db *mongo.Database, now func() time.Time, log *slog.Logger) *Counters {
	return &Counters{db: db, outcomes: db.Collection("reach_outcomes"), counts: db.Collection("reach_outcome_counts"), now: now, log: log}
}

// beforeWrite is the test hook failWrite; nil in production.
func (s *Counters) beforeWrite(coll string) error {
	if s.failWrite == nil {
		return nil
	}
	return s.failWrite(coll)
}

// DeliveriesFinished records the outcomes of deliveries that ended, all of
// the scope's commune: the deliveries' OutcomeRecorder.
func (s *Counters) DeliveriesFinished(ctx context.Context, list []deliveries.Delivery) error {
	out := make([]DeliveryOutcome, len(list))
	for i, d := range list {
		out[i] = DeliveryOutcome{ID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, Kind: d.Kind,
			Title: d.Title, Channel: d.Channel, StationID: d.StationID, Day: d.Day, State: d.State, Skipped: d.Skipped}
	}
	return s.RecordOutcomes(ctx, out)
}

// RecordOutcomes sets the outcome of each delivery of the scope's commune
// and the counts of the months it touched. Unchanged outcomes write nothing.
// The deliveries call it with each delivery that ends (DeliveriesFinished),
// so the counts are current at once, and every half hour with every
// finished delivery still in their hot collection.
func (s *Counters) RecordOutcomes(ctx context.Context, list []DeliveryOutcome) error {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	byMonth := map[string][]DeliveryOutcome{}
	for _, o := range list {
		if validDay(o.Day) && o.ID != "" && slices.Contains(OutcomeStates, o.outcome()) {
			byMonth[o.Day[:7]] = append(byMonth[o.Day[:7]], o)
		}
	}
	for _, m := range slices.Sorted(maps.Keys(byMonth)) {
		if err := s.recordMonth(ctx, sc.CommuneID, m, byMonth[m]); err != nil {
			return err
		}
	}
	return nil
}

// recordMonth merges a month's outcomes under the month's lock (every
// replica's writers of the month take it: store.TakeLock), then writes the
// counts built from them.
func (s *Counters) recordMonth(ctx context.Context, commune, month string, list []DeliveryOutcome) error {
	release, err := store.TakeLock(ctx, s.db, "reach-outcomes|"+commune+"|"+month, s.now)
	if err != nil {
		return fmt.Errorf("delivery outcomes of %s: %w", month, err)
	}
	defer release()
	var have outcomeMonth
	if err := store.FindByID(ctx, s.outcomes, outcomeMonthID(commune, month), &have); err != nil && !store.IsNoDocuments(err) {
		return fmt.Errorf("reading delivery outcomes: %w", err)
	}
	entries, items := map[string]string{}, map[string]string{}
	if err := unmarshalIfAny(have.Entries, &entries); err != nil {
		return err
	}
	if err := unmarshalIfAny(have.Items, &items); err != nil {
		return err
	}
	changed := false
	for _, o := range list {
		val := strings.Join([]string{o.outcome(), o.ItemID, o.Channel, o.StationID, o.CampaignID}, "|")
		meta := o.Kind + "|" + o.CampaignID + "|" + o.Title
		if entries[o.ID] != val || items[o.ItemID] != meta {
			entries[o.ID], items[o.ItemID], changed = val, meta, true
		}
	}
	if !changed {
		return s.ensureCounts(ctx, have, entries, items)
	}
	next := outcomeMonth{ID: outcomeMonthID(commune, month), Kind: "om", CommuneID: commune, Month: month,
		Version: have.Version + 1, Entries: mustJSON(entries), Items: mustJSON(items), UpdatedAt: s.now().UTC()}
	if err := s.beforeWrite("reach_outcomes"); err != nil {
		return fmt.Errorf("storing delivery outcomes: %w", err)
	}
	// By _id alone (the lock guards it): a filter with the version too
	// would decode every month's document on the embedded store.
	if _, err := s.outcomes.ReplaceOne(ctx, bson.M{"_id": next.ID}, next, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("storing delivery outcomes: %w", err)
	}
	return s.writeCounts(ctx, next, entries, items)
}

// ensureCounts rewrites the counts of m when they were not built from its
// version (a tally that stopped between the two writes).
func (s *Counters) ensureCounts(ctx context.Context, m outcomeMonth, entries, items map[string]string) error {
	if m.Version == 0 {
		return nil
	}
	var c outcomeCounts
	err := store.FindByID(ctx, s.counts, outcomeCountsID(m.CommuneID, m.Month), &c)
	if err != nil && !store.IsNoDocuments(err) {
		return fmt.Errorf("reading outcome counts: %w", err)
	}
	if err == nil && c.Version == m.Version {
		return nil
	}
	return s.writeCounts(ctx, m, entries, items)
}

// writeCounts counts a month's outcomes and stores them, tagged with m's version.
func (s *Counters) writeCounts(ctx context.Context, m outcomeMonth, entries, items map[string]string) error {
	counts := monthCounts{Items: map[string]outcomeMonthItem{}, Stations: map[string]map[string]int64{}}
	for _, v := range entries {
		counts.add(v, items)
	}
	year, _ := strconv.Atoi(m.Month[:4])
	c := outcomeCounts{ID: outcomeCountsID(m.CommuneID, m.Month), Kind: "oc", CommuneID: m.CommuneID, Month: m.Month, Year: year,
		Version: m.Version, Data: mustJSON(counts), BuiltAt: s.now().UTC()}
	if err := s.beforeWrite("reach_outcome_counts"); err != nil {
		return fmt.Errorf("storing outcome counts: %w", err)
	}
	if _, err := s.counts.ReplaceOne(ctx, bson.M{"_id": c.ID}, c, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("storing outcome counts: %w", err)
	}
	return nil
}

func (m *monthCounts) add(entry string, items map[string]string) {
	parts := strings.SplitN(entry, "|", 5)
	if len(parts) != 5 {
		return
	}
	state, item, channel, station := parts[0], parts[1], parts[2], parts[3]
	it, ok := m.Items[item]
	if !ok {
		it = outcomeMonthItem{CampaignID: parts[4], N: map[string]map[string]int64{}}
		if meta := strings.SplitN(items[item], "|", 3); len(meta) == 3 {
			it.Kind, it.CampaignID, it.Title = meta[0], meta[1], meta[2]
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

func mustJSON(v any) string {
	b, _ := json.Marshal(v) // maps of strings and numbers always marshal
	return string(b)
}

func unmarshalIfAny(s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decoding delivery outcomes: %w", err)
	}
	return nil
}
