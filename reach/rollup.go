package reach

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Rollups are digest documents kept current with $inc, read by _id, in
// small collections. Three costs of the embedded store shape them (measured
// with five years of a commune, bench/reach):
//   - a filter other than {_id} decodes the whole collection (35,000
//     one-value rollups filtered by campaign: 2.5 s);
//   - an _id lookup reads through the whole collection too (its SQLite
//     index on _id is not used): about 14 ms in a collection of 2,500
//     small documents, so what a page reads must sit in a small collection
//     and take few lookups;
//   - a document is decoded and re-encoded whole on every read and update,
//     about 0.1 ms a value to read and 0.35 ms to update.
//
// So a summary reads one document, a timeline one per week:
//
//	reach_campaigns      c|<commune>|<campaign>       t.<channel>.<metric> (totals),
//	                     v.<village>.<metric>, i.<item>.<channel> (each item's primary
//	                     metric), w.<monday>: 1 (the weeks with values)
//	reach_years          y|<commune>|<YYYY>           t.<channel>.<metric>, v.<village>.<metric>
//	reach_weeks_<YYYY>   w|<commune>|<campaign>|<monday>  d.<date>.<channel>.<metric>
//
// A collection of weeks per year keeps each one small as years go by.
// Village and item keys are escaped (escapeKey). The year of an event is
// its day's year; a week starts on Monday and belongs to its Monday's year.
const (
	campaignsColl = "reach_campaigns"
	yearsColl     = "reach_years"
	weeksPrefix   = "reach_weeks_"
)

// digestInc is what one event adds to one digest document: inc values are
// added, set values (the week index) are set.
type digestInc struct {
	coll   string
	id     string
	insert bson.M // fields set when the document is created
	inc    map[string]int64
	set    map[string]int64
}

// validDay reports whether day looks like YYYY-MM-DD (events are dated by
// their producers, which parse or compute the day).
func validDay(day string) bool {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return false
	}
	_, err := time.Parse("2006-01-02", day)
	return err == nil
}

// monday is the Monday of day's week (YYYY-MM-DD).
func monday(day string) string {
	t, _ := time.Parse("2006-01-02", day)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)).Format("2006-01-02")
}

func campaignID(commune, campaign string) string { return "c|" + commune + "|" + campaign }
func yearID(commune string, year int) string     { return "y|" + commune + "|" + strconv.Itoa(year) }
func weekID(commune, campaign, monday string) string {
	return "w|" + commune + "|" + campaign + "|" + monday
}
func weeksColl(monday string) string { return weeksPrefix + monday[:4] }

// digestsOf returns what an event of the given value adds to each digest.
func digestsOf(e Event, value int64) []digestInc {
	year, _ := strconv.Atoi(e.Day[:4])
	cm := e.Channel + "." + e.Metric
	week := monday(e.Day)
	camp := digestInc{coll: campaignsColl, id: campaignID(e.CommuneID, e.CampaignID),
		insert: bson.M{"kind": "c", "commune_id": e.CommuneID, "campaign_id": e.CampaignID},
		inc:    map[string]int64{"t." + cm: value}, set: map[string]int64{"w." + week: 1}}
	yr := digestInc{coll: yearsColl, id: yearID(e.CommuneID, year), insert: bson.M{"kind": "y", "commune_id": e.CommuneID, "year": year},
		inc: map[string]int64{"t." + cm: value}}
	days := digestInc{coll: weeksColl(week), id: weekID(e.CommuneID, e.CampaignID, week),
		insert: bson.M{"kind": "w", "commune_id": e.CommuneID, "campaign_id": e.CampaignID, "week": week},
		inc:    map[string]int64{"d." + e.Day + "." + cm: value}}
	if e.Village != "" {
		camp.inc["v."+escapeKey(e.Village)+"."+e.Metric] = value
		yr.inc["v."+escapeKey(e.Village)+"."+e.Metric] = value
	}
	if e.ItemID != "" && PrimaryMetric[e.Channel] == e.Metric {
		camp.inc["i."+escapeKey(e.ItemID)+"."+e.Channel] = value
	}
	return []digestInc{camp, yr, days}
}

// apply adds the events to their digests, one update per digest document
// (creating missing ones). When one cannot be updated it takes back what
// it added to the others, so that a failed recording leaves every total as
// it was.
func (s *Service) apply(ctx context.Context, events []Event) error {
	acc, order := sumDigests(events)
	for i, id := range order {
		if err := s.writeDigest(ctx, *acc[id]); err != nil {
			for _, back := range order[:i] {
				_ = s.writeDigest(ctx, acc[back].negated()) // if this fails too, the repair job recounts
			}
			return fmt.Errorf("updating reach digests: %w", err)
		}
	}
	return nil
}

// negated is d with its increments taken back (its set values stay: they
// mark that a week had activity, which the repair job recounts anyway).
func (d digestInc) negated() digestInc {
	back := d
	back.inc = make(map[string]int64, len(d.inc))
	for k, v := range d.inc {
		back.inc[k] = -v
	}
	return back
}

func (s *Service) writeDigest(ctx context.Context, d digestInc) error {
	if err := s.beforeWrite(d.coll); err != nil {
		return err
	}
	_, err := s.db.Collection(d.coll).BulkWrite(ctx, []mongo.WriteModel{d.model()})
	return err
}

func (d digestInc) model() mongo.WriteModel {
	update := bson.M{"$setOnInsert": d.insert}
	for op, values := range map[string]map[string]int64{"$inc": d.inc, "$set": d.set} {
		if len(values) > 0 {
			m := bson.M{}
			for k, v := range values {
				m[k] = v
			}
			update[op] = m
		}
	}
	return mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": d.id}).SetUpdate(update).SetUpsert(true)
}

// sumDigests adds up what the events add to each digest document: by id,
// and the ids in the order first met.
func sumDigests(events []Event) (map[string]*digestInc, []string) {
	acc := map[string]*digestInc{}
	var order []string
	for _, e := range events {
		for _, d := range digestsOf(e, e.Value) {
			merge(acc, d, &order)
		}
	}
	return acc, order
}

// merge adds d into acc: inc values are summed, set values assigned.
func merge(acc map[string]*digestInc, d digestInc, order *[]string) {
	have, ok := acc[d.id]
	if !ok {
		have = &digestInc{coll: d.coll, id: d.id, insert: d.insert, inc: map[string]int64{}, set: map[string]int64{}}
		acc[d.id] = have
		if order != nil {
			*order = append(*order, d.id)
		}
	}
	for k, v := range d.inc {
		have.inc[k] += v
	}
	for k, v := range d.set {
		have.set[k] = v
	}
}

// escapeKey makes s usable as one field name of a dotted path on every
// store (usertext.Key: '.', '$', '%', control characters, white space at
// either end and the empty name are percent-encoded); Vietnamese text stays
// readable and names stored before the rule keep their keys.
func escapeKey(s string) string { return usertext.Key(s) }

// unescapeKey reverses escapeKey.
func unescapeKey(s string) string { return usertext.Unkey(s) }

// campaignDigest is a campaign's digest.
type campaignDigest struct {
	T map[string]map[string]int64 `bson:"t"`
	V map[string]map[string]int64 `bson:"v"`
	I map[string]map[string]int64 `bson:"i"`
	W map[string]int64            `bson:"w"`
}

// yearDigest is a commune's year.
type yearDigest struct {
	T map[string]map[string]int64 `bson:"t"`
	V map[string]map[string]int64 `bson:"v"`
}

// weekDigest is a campaign's week: date → channel → metric → value.
type weekDigest struct {
	D map[string]map[string]map[string]int64 `bson:"d"`
}

// readDigest reads one digest of the scope's commune into out; a missing
// digest (nothing recorded yet) leaves out empty and is not an error.
func (s *Service) readDigest(ctx context.Context, coll, id string, out any) error {
	err := store.FindByID(ctx, s.db.Collection(coll), id, out)
	if err != nil && !store.IsNoDocuments(err) {
		return fmt.Errorf("reading reach digest: %w", err)
	}
	return nil
}

func (s *Service) campaignDigest(ctx context.Context, campaign string) (campaignDigest, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return campaignDigest{}, err
	}
	var d campaignDigest
	return d, s.readDigest(ctx, campaignsColl, campaignID(sc.CommuneID, campaign), &d)
}

func (s *Service) yearDigest(ctx context.Context, year int) (yearDigest, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return yearDigest{}, err
	}
	var d yearDigest
	return d, s.readDigest(ctx, yearsColl, yearID(sc.CommuneID, year), &d)
}

// villageValues turns digest villages (escaped keys) into names.
func villageValues(v map[string]map[string]int64) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for k, metrics := range v {
		out[unescapeKey(k)] = metrics
	}
	return out
}

// checkYear validates a report or summary year.
func checkYear(year int) error {
	if year < 2000 || year > 2100 {
		return apperr.Invalid("year", "must be a year between 2000 and 2100")
	}
	return nil
}
