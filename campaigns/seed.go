package campaigns

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Seed writes the observances and, for the commune, one campaign per
// observance per programme year. Campaign ids are deterministic
// (<commune>-<observance>-<year>) and inserted only when absent, so a restart,
// a second replica or a second call never duplicates and never overwrites an
// editor's changes.
func (s *Service) Seed(ctx context.Context, communeID string) error {
	if err := s.seedObservances(ctx); err != nil {
		return err
	}
	now := s.now().UTC()
	for _, year := range ProgrammeYears {
		for _, o := range Observances {
			c := observanceCampaign(communeID, o, year, now)
			doc, err := toSetOnInsert(c)
			if err != nil {
				return err
			}
			_, err = s.campaigns.UpdateOne(ctx, bson.M{"_id": c.ID}, bson.M{"$setOnInsert": doc}, options.UpdateOne().SetUpsert(true))
			if err != nil {
				return fmt.Errorf("seeding campaign %s: %w", c.ID, err)
			}
		}
	}
	s.campaignsChanged(ctx, communeID)
	return nil
}

// observanceCampaign is the campaign the programme runs for o in year.
func observanceCampaign(communeID string, o Observance, year int, now time.Time) Campaign {
	y := strconv.Itoa(year)
	title := o.Name + " năm " + y
	if o.Start == o.End {
		title = o.Name + " (" + o.Start[3:] + "/" + o.Start[:2] + "/" + y + ")"
	}
	return Campaign{
		ID: communeID + "-" + o.Code + "-" + y, CommuneID: communeID, Title: title,
		Observance: o.Code, Year: year, Start: y + "-" + o.Start, End: y + "-" + o.End,
		Audiences: codes(Audiences), Channels: codes(Channels), Targets: map[string]int64{},
		LeadUnit: "Phòng Văn hoá - Xã hội", CreatedBy: "system", CreatedAt: now, UpdatedAt: now,
	}
}

// toSetOnInsert turns c into a document without _id (an upsert takes the id
// from its filter).
func toSetOnInsert(c Campaign) (bson.M, error) {
	raw, err := bson.Marshal(c)
	if err != nil {
		return nil, err
	}
	var m bson.M
	if err := bson.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	delete(m, "_id")
	return m, nil
}
