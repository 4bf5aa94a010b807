package reach

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Snapshot is a platform's lifetime statistics of one post at one moment.
// A nil value is unknown (the platform gave nothing), which is not 0.
type Snapshot struct {
	CommuneID  string
	CampaignID string
	ItemID     string
	Channel    string
	ExternalID string
	Values     map[string]*int64
	Platform   map[string]string // our metric → the platform's metric name
	APIVersion string
}

// post is the latest snapshot of one post.
type post struct {
	ID         string            `bson:"_id"`
	CommuneID  string            `bson:"commune_id"`
	CampaignID string            `bson:"campaign_id"`
	ItemID     string            `bson:"item_id"`
	Channel    string            `bson:"channel"`
	ExternalID string            `bson:"external_id"`
	Values     map[string]int64  `bson:"values"`
	Platform   map[string]string `bson:"platform"`
	APIVersion string            `bson:"api_version"`
	PolledAt   time.Time         `bson:"polled_at"`
	Version    int               `bson:"version"`
}

// RecordSnapshot keeps the latest snapshot of a post and adds only the
// change since the previous one to the rollups (as poll events), so totals
// hold the latest value per post and never the sum of snapshots. Unknown
// values leave the previous value in place.
func (s *Service) RecordSnapshot(ctx context.Context, snap Snapshot) error {
	id := snap.Channel + "|" + snap.ExternalID
	for try := 0; try < 5; try++ {
		var old post
		err := s.posts.FindOne(ctx, bson.M{"_id": id}).Decode(&old)
		if err != nil && !store.IsNoDocuments(err) {
			return fmt.Errorf("reading post snapshot: %w", err)
		}
		next := old
		next.ID, next.CommuneID, next.CampaignID, next.ItemID = id, snap.CommuneID, snap.CampaignID, snap.ItemID
		next.Channel, next.ExternalID, next.APIVersion = snap.Channel, snap.ExternalID, snap.APIVersion
		next.PolledAt, next.Version = s.now().UTC(), old.Version+1
		next.Values, next.Platform = map[string]int64{}, map[string]string{}
		for k, v := range old.Values {
			next.Values[k] = v
		}
		for k, v := range old.Platform {
			next.Platform[k] = v
		}
		deltas := map[string]int64{}
		for m, v := range snap.Values {
			if v != nil && KnownMetric(m) && *v >= 0 && *v <= MaxValue { // a platform's nonsense stays unknown
				deltas[m] = *v - old.Values[m]
				next.Values[m] = *v
				next.Platform[m] = snap.Platform[m]
			}
		}
		won, err := s.swapPost(ctx, old.Version, next)
		if err != nil {
			return err
		}
		if !won {
			continue // another poller wrote first: start again from its snapshot
		}
		return s.recordDeltas(ctx, next, deltas)
	}
	return fmt.Errorf("post %s: snapshot contended five times", id)
}

// swapPost writes next if the stored version is still prev (0: absent).
func (s *Service) swapPost(ctx context.Context, prev int, next post) (bool, error) {
	if err := s.beforeWrite("reach_posts"); err != nil {
		return false, fmt.Errorf("writing post snapshot: %w", err)
	}
	if prev == 0 {
		_, err := s.posts.InsertOne(ctx, next)
		if store.IsDuplicateKey(err) {
			return false, nil
		}
		return err == nil, err
	}
	res, err := s.posts.ReplaceOne(ctx, bson.M{"_id": next.ID, "version": prev}, next)
	if err != nil {
		return false, fmt.Errorf("writing post snapshot: %w", err)
	}
	return res.MatchedCount == 1, nil
}

func (s *Service) recordDeltas(ctx context.Context, p post, deltas map[string]int64) error {
	day := s.now().In(s.loc).Format(campaigns.DateLayout)
	var events []Event
	for m, d := range deltas {
		if d == 0 {
			continue
		}
		events = append(events, Event{ID: "poll|" + p.ID + "|" + m + "|" + strconv.Itoa(p.Version), CommuneID: p.CommuneID,
			CampaignID: p.CampaignID, ItemID: p.ItemID, Channel: p.Channel, Metric: m, Value: d, Day: day, Source: SourcePoll})
	}
	_, err := s.Record(ctx, events...)
	return err
}

// PostFigures returns the latest figures recorded for a post (polled from
// the platform or entered by hand), and whether any were.
func (s *Service) PostFigures(ctx context.Context, channel, externalID string) (map[string]int64, bool, error) {
	var p post
	err := store.FindByID(ctx, s.posts, channel+"|"+externalID, &p)
	if store.IsNoDocuments(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading post figures: %w", err)
	}
	return p.Values, len(p.Values) > 0, nil
}

// HandFigures records what an editor read on the platform for a post made
// by hand (SPEC §6.2): the post's lifetime figures, kept like a poll of the
// platform's (RecordSnapshot: the latest value per post counts, never a
// sum), with the platform's metric named as entered by hand. Values are
// 0–MaxValue.
func (s *Service) HandFigures(ctx context.Context, snap Snapshot) error {
	for m, v := range snap.Values {
		if !KnownMetric(m) {
			return apperr.Invalid(m, "unknown metric")
		}
		if v != nil && (*v < 0 || *v > MaxValue) {
			return apperr.Invalid(m, "must be between 0 and %d", MaxValue)
		}
	}
	snap.Platform = map[string]string{}
	for m := range snap.Values {
		snap.Platform[m] = "entered by hand"
	}
	snap.APIVersion = "by hand"
	return s.RecordSnapshot(ctx, snap)
}
