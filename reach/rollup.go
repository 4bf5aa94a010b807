package reach

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// Rollups are digest documents in reach_digests, kept current with $inc on
// nested paths, so that every read is a handful of _id lookups: the embedded
// store pushes down only {_id: v} filters, and any other query decodes the
// whole collection (measured: 35,000 flat rollups, one per campaign, channel,
// metric and day, took 2.5 s to filter; an _id lookup took 1 ms). Digests
// stay small, because the embedded store rewrites a whole document on every
// update and its cost grows with the number of fields:
//
//	c|<commune>|<campaign>          kind "c": t.<channel>.<metric> (totals),
//	                                v.<village>.<metric>, i.<item>.<channel>.<metric>,
//	                                m.<YYYY-MM>: true (months with day values)
//	cd|<commune>|<campaign>|<YYYY-MM>  kind "cd": d.<DD>.<channel>.<metric>
//	y|<commune>|<YYYY>              kind "y": t.<channel>.<metric>, v.<village>.<metric>
//
// Village and item keys are escaped (see escapeKey); channels and metrics are
// codes. The year of an event is its day's year.
const (
	KindCampaign      = "c"
	KindCampaignMonth = "cd"
	KindYear          = "y"
)

// digestInc is what one event adds to one digest document.
type digestInc struct {
	id     string
	insert bson.M           // fields set when the document is created
	inc    map[string]int64 // dotted path → value
	set    bson.M           // dotted path → value (idempotent flags)
}

func campaignDigestID(commune, campaign string) string { return "c|" + commune + "|" + campaign }
func monthDigestID(commune, campaign, month string) string {
	return "cd|" + commune + "|" + campaign + "|" + month
}
func yearDigestID(commune string, year int) string { return "y|" + commune + "|" + strconv.Itoa(year) }

// validDay reports whether day looks like YYYY-MM-DD (events are dated by
// their producers, which parse or compute the day).
func validDay(day string) bool {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return false
	}
	_, err := strconv.Atoi(day[:4] + day[5:7] + day[8:])
	return err == nil
}

// digestsOf returns what an event of the given value adds to each digest.
func digestsOf(e Event, value int64) []digestInc {
	year, _ := strconv.Atoi(e.Day[:4])
	month, dd := e.Day[:7], e.Day[8:]
	cm := e.Channel + "." + e.Metric
	camp := digestInc{id: campaignDigestID(e.CommuneID, e.CampaignID),
		insert: bson.M{"kind": KindCampaign, "commune_id": e.CommuneID, "campaign_id": e.CampaignID},
		inc:    map[string]int64{"t." + cm: value}, set: bson.M{"m." + month: true}}
	days := digestInc{id: monthDigestID(e.CommuneID, e.CampaignID, month),
		insert: bson.M{"kind": KindCampaignMonth, "commune_id": e.CommuneID, "campaign_id": e.CampaignID, "month": month},
		inc:    map[string]int64{"d." + dd + "." + cm: value}}
	yr := digestInc{id: yearDigestID(e.CommuneID, year),
		insert: bson.M{"kind": KindYear, "commune_id": e.CommuneID, "year": year},
		inc:    map[string]int64{"t." + cm: value}}
	if e.Village != "" {
		camp.inc["v."+escapeKey(e.Village)+"."+e.Metric] = value
		yr.inc["v."+escapeKey(e.Village)+"."+e.Metric] = value
	}
	if e.ItemID != "" {
		camp.inc["i."+escapeKey(e.ItemID)+"."+cm] = value
	}
	return []digestInc{camp, days, yr}
}

// apply adds value to every digest of e, creating missing ones.
func (s *Service) apply(ctx context.Context, e Event, value int64) error {
	var models []mongo.WriteModel
	for _, d := range digestsOf(e, value) {
		models = append(models, d.model())
	}
	if _, err := s.digests.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true)); err != nil {
		return fmt.Errorf("updating reach digests: %w", err)
	}
	return nil
}

func (d digestInc) model() mongo.WriteModel {
	inc := bson.M{}
	for k, v := range d.inc {
		inc[k] = v
	}
	update := bson.M{"$setOnInsert": d.insert, "$inc": inc}
	if len(d.set) > 0 {
		update["$set"] = d.set
	}
	return mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": d.id}).SetUpdate(update).SetUpsert(true)
}

// escapeKey makes s usable as one field name of a dotted path: MongoDB field
// names must not contain '.' nor start with '$'. '%' is escaped too so that
// unescapeKey is exact; Vietnamese text stays readable.
func escapeKey(s string) string {
	if !strings.ContainsAny(s, "%.$") {
		return s
	}
	return strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24").Replace(s)
}

// unescapeKey reverses escapeKey.
func unescapeKey(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return strings.NewReplacer("%25", "%", "%2E", ".", "%24", "$").Replace(s)
}

// campaignDigest is a campaign's digest document.
type campaignDigest struct {
	ID         string                                  `bson:"_id"`
	CommuneID  string                                  `bson:"commune_id"`
	CampaignID string                                  `bson:"campaign_id"`
	T          map[string]map[string]int64             `bson:"t"`
	V          map[string]map[string]int64             `bson:"v"`
	I          map[string]map[string]map[string]int64 `bson:"i"`
	M          map[string]bool                         `bson:"m"`
}

// monthDigest is a campaign's values by day for one month.
type monthDigest struct {
	ID    string                                  `bson:"_id"`
	Month string                                  `bson:"month"`
	D     map[string]map[string]map[string]int64 `bson:"d"`
}

// yearDigest is a commune's totals and villages of one year.
type yearDigest struct {
	ID        string                      `bson:"_id"`
	CommuneID string                      `bson:"commune_id"`
	Year      int                         `bson:"year"`
	T         map[string]map[string]int64 `bson:"t"`
	V         map[string]map[string]int64 `bson:"v"`
}

// readDigest reads one digest of the scope's commune into out; a missing
// digest (nothing recorded yet) leaves out empty and is not an error.
func (s *Service) readDigest(ctx context.Context, id string, out any) error {
	err := store.FindByID(ctx, s.digests, id, out)
	if err != nil && !store.IsNoDocuments(err) {
		return fmt.Errorf("reading reach digest: %w", err)
	}
	return nil
}

func (s *Service) campaignDigest(ctx context.Context, campaignID string) (campaignDigest, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return campaignDigest{}, err
	}
	var d campaignDigest
	return d, s.readDigest(ctx, campaignDigestID(sc.CommuneID, campaignID), &d)
}

func (s *Service) yearDigest(ctx context.Context, year int) (yearDigest, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return yearDigest{}, err
	}
	var d yearDigest
	return d, s.readDigest(ctx, yearDigestID(sc.CommuneID, year), &d)
}

// checkYear validates a report or summary year.
func checkYear(year int) error {
	if year < 2000 || year > 2100 {
		return apperr.Invalid("year", "must be a year between 2000 and 2100")
	}
	return nil
}
