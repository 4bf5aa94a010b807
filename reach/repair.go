package reach

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Recount computes every rollup of a commune from its raw events: what the
// rollups must equal.
func (s *Service) Recount(ctx context.Context, commune string) (map[string]Rollup, error) {
	cur, err := s.events.Find(ctx, bson.M{"commune_id": commune})
	if err != nil {
		return nil, fmt.Errorf("reading reach events: %w", err)
	}
	out := map[string]Rollup{}
	for cur.Next(ctx) {
		var e Event
		if err := cur.Decode(&e); err != nil {
			return nil, err
		}
		for _, r := range rollupsOf(e) {
			have, ok := out[r.ID]
			if !ok {
				have = r
			}
			have.Value += e.Value
			out[r.ID] = have
		}
	}
	return out, cur.Err()
}

// Repair rebuilds the rollups of any commune with an event that was stored
// but not applied (a crash between the two steps of Record), so rollups
// always come back to equal a recount. The clock runs it.
func (s *Service) Repair(ctx context.Context) (int, error) {
	communes, err := s.events.Distinct(ctx, "commune_id", bson.M{"applied": false, "at": bson.M{"$lt": s.now().Add(-time.Minute).UTC()}}).Raw()
	if err != nil {
		return 0, fmt.Errorf("finding unapplied reach events: %w", err)
	}
	values, _ := communes.Values()
	for _, v := range values {
		if err := s.Rebuild(ctx, v.StringValue()); err != nil {
			return 0, err
		}
	}
	return len(values), nil
}

// Rebuild replaces a commune's rollups with a recount of its events.
func (s *Service) Rebuild(ctx context.Context, commune string) error {
	want, err := s.Recount(ctx, commune)
	if err != nil {
		return err
	}
	if _, err := s.rollups.DeleteMany(ctx, bson.M{"commune_id": commune}); err != nil {
		return fmt.Errorf("clearing rollups: %w", err)
	}
	docs := make([]any, 0, len(want))
	for _, r := range want {
		docs = append(docs, r)
	}
	if len(docs) > 0 {
		if _, err := s.rollups.InsertMany(ctx, docs, options.InsertMany()); err != nil {
			return fmt.Errorf("writing rollups: %w", err)
		}
	}
	_, err = s.events.UpdateMany(ctx, bson.M{"commune_id": commune, "applied": false}, bson.M{"$set": bson.M{"applied": true}})
	return err
}
