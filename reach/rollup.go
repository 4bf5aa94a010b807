package reach

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Rollup kinds: campaign totals, campaign by day, campaign by village, and
// the same by year (for the yearly report and the province view).
const (
	KindTotal       = "t"
	KindDay         = "d"
	KindVillage     = "v"
	KindYear        = "y"
	KindYearVillage = "yv"
)

// Rollup is one summary document, kept current with $inc.
type Rollup struct {
	ID         string `bson:"_id"`
	Kind       string `bson:"kind"`
	CommuneID  string `bson:"commune_id"`
	CampaignID string `bson:"campaign_id,omitempty"`
	Year       int    `bson:"year"`
	Channel    string `bson:"channel"`
	Metric     string `bson:"metric"`
	Day        string `bson:"day,omitempty"`
	Village    string `bson:"village,omitempty"`
	Value      int64  `bson:"value"`
}

// rollupsOf returns the rollup documents an event adds to, with zero values.
func rollupsOf(e Event) []Rollup {
	year := 0
	fmt.Sscanf(e.Day, "%d", &year)
	base := Rollup{CommuneID: e.CommuneID, CampaignID: e.CampaignID, Year: year, Channel: e.Channel, Metric: e.Metric}
	key := func(parts ...string) string { return strings.Join(parts, "|") }
	cm := key(e.CommuneID, e.CampaignID, e.Channel, e.Metric)
	ym := key(e.CommuneID, fmt.Sprint(year), e.Channel, e.Metric)
	out := []Rollup{
		with(base, KindTotal, "t|"+cm, "", ""),
		with(base, KindDay, "d|"+cm+"|"+e.Day, e.Day, ""),
		with(base, KindYear, "y|"+ym, "", ""),
	}
	if e.Village != "" {
		out = append(out, with(base, KindVillage, "v|"+cm+"|"+e.Village, "", e.Village),
			with(base, KindYearVillage, "yv|"+ym+"|"+e.Village, "", e.Village))
	}
	for i := range out {
		if out[i].Kind == KindYear || out[i].Kind == KindYearVillage {
			out[i].CampaignID = ""
		}
	}
	return out
}

func with(r Rollup, kind, id, day, village string) Rollup {
	r.Kind, r.ID, r.Day, r.Village = kind, id, day, village
	return r
}

// apply adds value to every rollup of e, creating missing ones.
func (s *Service) apply(ctx context.Context, e Event, value int64) error {
	var models []mongo.WriteModel
	for _, r := range rollupsOf(e) {
		set := bson.M{"kind": r.Kind, "commune_id": r.CommuneID, "year": r.Year, "channel": r.Channel, "metric": r.Metric}
		for k, v := range map[string]string{"campaign_id": r.CampaignID, "day": r.Day, "village": r.Village} {
			if v != "" {
				set[k] = v
			}
		}
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": r.ID}).
			SetUpdate(bson.M{"$setOnInsert": set, "$inc": bson.M{"value": value}}).SetUpsert(true))
	}
	if _, err := s.rollups.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(true)); err != nil {
		return fmt.Errorf("updating reach rollups: %w", err)
	}
	return nil
}

// Record stores each event once and adds it to the rollups. An event whose
// id is already stored is skipped: recording twice counts once. It returns
// how many events were new.
func (s *Service) Record(ctx context.Context, events ...Event) (int, error) {
	n := 0
	for _, e := range events {
		if e.At.IsZero() {
			e.At = s.now().UTC()
		}
		e.Applied = false
		if _, err := s.events.InsertOne(ctx, e); err != nil {
			if mongo.IsDuplicateKeyError(err) {
				continue
			}
			return n, fmt.Errorf("storing reach event: %w", err)
		}
		if err := s.apply(ctx, e, e.Value); err != nil {
			return n, err // the event stays unapplied; Repair recounts
		}
		if _, err := s.events.UpdateOne(ctx, bson.M{"_id": e.ID}, bson.M{"$set": bson.M{"applied": true}}); err != nil {
			return n, fmt.Errorf("marking reach event applied: %w", err)
		}
		n++
	}
	return n, nil
}
