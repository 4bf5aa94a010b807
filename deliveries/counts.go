package deliveries

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Count is how many deliveries of the hot collection are in one state on
// one channel.
type Count struct {
	State   string `bson:"state"`
	Channel string `bson:"channel"`
	N       int    `bson:"n"`
}

// Counts groups the hot deliveries of every commune by state and channel
// ($group with a compound key and $sum is within what the embedded store
// supports): one scan, for the metrics scrape.
func (s *Service) Counts(ctx context.Context) ([]Count, error) {
	cur, err := s.hot.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$group", Value: bson.M{"_id": bson.M{"state": "$state", "channel": "$channel"}, "n": bson.M{"$sum": 1}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("counting deliveries: %w", err)
	}
	var rows []struct {
		ID Count `bson:"_id"`
		N  int   `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("counting deliveries: %w", err)
	}
	out := make([]Count, len(rows))
	for i, r := range rows {
		out[i] = Count{State: r.ID.State, Channel: r.ID.Channel, N: r.N}
	}
	return out, nil
}

// Lag is now minus the run time of the oldest due delivery of a pushed
// channel still waiting (queued or failed), or 0 when none waits: how far
// the dispatcher is behind.
func (s *Service) Lag(ctx context.Context) (time.Duration, error) {
	var oldest struct {
		RunAt time.Time `bson:"run_at"`
	}
	now := s.now()
	err := s.hot.FindOne(ctx,
		bson.M{"state": bson.M{"$in": []string{StateQueued, StateFailed}}, "channel": bson.M{"$nin": PullChannels}, "run_at": bson.M{"$lte": now.UTC()}},
		options.FindOne().SetSort(bson.D{{Key: "run_at", Value: 1}}).SetProjection(bson.M{"run_at": 1})).Decode(&oldest)
	if isNoDoc(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("finding the oldest due delivery: %w", err)
	}
	return now.Sub(oldest.RunAt), nil
}
