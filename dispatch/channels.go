package dispatch

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// ChannelState is a commune's channel paused by the dispatcher: its
// credential is invalid ("reconnect"), the platform blocked it ("blocked") or
// throttles it ("throttled"). Deliveries wait instead of failing one by one.
type ChannelState struct {
	ID          string    `bson:"_id" json:"-"`
	CommuneID   string    `bson:"commune_id" json:"commune_id"`
	Channel     string    `bson:"channel" json:"channel"`
	Status      string    `bson:"status" json:"status"`
	Reason      string    `bson:"reason" json:"reason"`
	PausedUntil time.Time `bson:"paused_until" json:"paused_until"`
	UpdatedAt   time.Time `bson:"updated_at" json:"updated_at"`
}

func (s *Dispatcher) pause(ctx context.Context, commune, channel, status, reason string, d time.Duration) {
	now := s.now().UTC()
	id := commune + "|" + channel
	s.mu.Lock()
	s.paused[id] = now.Add(d)
	s.mu.Unlock()
	_, err := s.channels.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": ChannelState{ID: id, CommuneID: commune,
		Channel: channel, Status: status, Reason: reason, PausedUntil: now.Add(d), UpdatedAt: now}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		s.log.Error("pausing channel", "channel", channel, "err", err)
		return
	}
	level := s.log.Warn
	if status != "throttled" {
		level = s.log.Error // needs a person: reconnect the credential or check the account
	}
	level("channel paused", "commune", commune, "channel", channel, "status", status, "until", now.Add(d), "reason", reason)
}

// pausedHere reports whether this replica paused the channel itself since
// the dispatch scan began, so the rest of the batch waits at once.
func (s *Dispatcher) pausedHere(commune, channel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	until, ok := s.paused[commune+"|"+channel]
	return ok && s.now().Before(until)
}

// pausedChannels returns the "commune|channel" keys paused now.
func (s *Dispatcher) pausedChannels(ctx context.Context) (map[string]bool, error) {
	cur, err := s.channels.Find(ctx, bson.M{"paused_until": bson.M{"$gt": s.now().UTC()}})
	if err != nil {
		return nil, fmt.Errorf("reading channel state: %w", err)
	}
	var list []ChannelState
	if err := cur.All(ctx, &list); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, c := range list {
		out[c.ID] = true
	}
	return out, nil
}

// ChannelStates returns the caller's commune's paused channels.
func (s *Dispatcher) ChannelStates(ctx context.Context) ([]ChannelState, error) {
	f, err := store.Scoped(ctx, bson.M{"paused_until": bson.M{"$gt": s.now().UTC()}})
	if err != nil {
		return nil, err
	}
	cur, err := s.channels.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []ChannelState{}
	return out, cur.All(ctx, &out)
}

// ResumeChannel lifts a pause (after an admin reconnected the credential).
func (s *Dispatcher) ResumeChannel(ctx context.Context, channel string) error {
	f, err := store.Scoped(ctx, bson.M{"channel": channel})
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.paused, f["commune_id"].(string)+"|"+channel)
	s.mu.Unlock()
	_, err = s.channels.DeleteMany(ctx, f)
	return err
}
