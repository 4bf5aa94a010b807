package dispatch

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/store"
)

// Channel statuses of GET /api/v1/channels.
const (
	ChannelOK            = "ok"             // credentials configured, last call fine
	ChannelOutbox        = "outbox"         // no credentials: written to the outbox folder
	ChannelPull          = "pull"           // loudspeaker: operators pull their rundowns
	ChannelNotConfigured = "not_configured" // a publisher without its credentials
	ChannelByHand        = "by_hand"        // no credentials: editors post by hand (SPEC §6.2)
	ChannelFailing       = "failing"        // the last call failed
	ChannelPaused        = "paused"         // the publisher holds calls back
	// The dispatcher's pauses (channels.go): "reconnect", "blocked", "throttled".
)

// ChannelStatus is one channel's state: what its publisher reports
// (publishers.Health) merged with the dispatcher's pause of the caller's
// commune. It never carries a credential: publishers keep them out of
// Health, and pause reasons are their safe error messages.
type ChannelStatus struct {
	Channel     string     `json:"channel"`
	Configured  bool       `json:"configured"`
	Healthy     bool       `json:"healthy"`
	Paused      bool       `json:"paused"`
	Status      string     `json:"status"`
	LastError   string     `json:"last_error"`
	Usage       *int       `json:"usage"`
	PausedUntil *time.Time `json:"paused_until,omitempty"`
}

// healthReporter is a publisher that reports its state.
type healthReporter interface{ Health() publishers.Health }

// reconnector is a publisher that can forget a rejected credential.
type reconnector interface{ Reconnected() }

// ChannelStatuses returns every channel's status for the caller's commune,
// in the order of campaigns.Channels.
func (s *Dispatcher) ChannelStatuses(ctx context.Context) ([]ChannelStatus, error) {
	states, err := s.ChannelStates(ctx)
	if err != nil {
		return nil, err
	}
	paused := map[string]ChannelState{}
	for _, st := range states {
		paused[st.Channel] = st
	}
	out := make([]ChannelStatus, 0, len(campaigns.Channels))
	for _, code := range campaigns.Channels {
		out = append(out, s.channelStatus(code.Code, paused))
	}
	return out, nil
}

// outboxWriter is a publisher that writes to the outbox folder instead of
// a platform (publishers/outbox, or a wrapper of it).
type outboxWriter interface{ Outbox() bool }

// channelStatus is one channel's status. Healthy means the channel reaches
// its platform: never for the outbox or a channel without credentials.
func (s *Dispatcher) channelStatus(ch string, paused map[string]ChannelState) ChannelStatus {
	_, own := s.pubs[ch]
	pub := s.publisher(ch)
	h := publishers.Health{Channel: ch, Healthy: true}
	if hr, ok := pub.(healthReporter); ok {
		h = hr.Health()
	}
	ow, isOutbox := pub.(outboxWriter)
	outbox := !own || (isOutbox && ow.Outbox())
	st := ChannelStatus{Channel: ch, Configured: h.Configured, Healthy: h.Healthy, Paused: h.Paused, LastError: h.LastError, Usage: h.Usage}
	switch {
	case outbox && slices.Contains(deliveries.PullChannels, ch):
		st.Configured, st.Healthy, st.Status = true, true, ChannelPull
	case publishers.IsByHand(pub):
		st.Configured, st.Healthy, st.Status = false, false, ChannelByHand
	case outbox:
		st.Configured, st.Healthy, st.Status = false, false, ChannelOutbox
	case !h.Configured:
		st.Healthy, st.Status = false, ChannelNotConfigured
	case h.Paused && strings.HasPrefix(h.LastError, "reconnect"):
		st.Status = "reconnect"
	case h.Paused:
		st.Status = ChannelPaused
	case !h.Healthy:
		st.Status = ChannelFailing
	default:
		st.Status = ChannelOK
	}
	if p, ok := paused[ch]; ok {
		until := p.PausedUntil
		st.Paused, st.Healthy, st.Status, st.PausedUntil = true, false, p.Status, &until
		if p.Reason != "" {
			st.LastError = p.Reason
		}
	}
	return st
}

// channelResume records that an admin resumed a channel, so that every
// replica clears its own in-memory state (ResumeWatcher).
type channelResume struct {
	ID        string    `bson:"_id"` // commune|channel
	CommuneID string    `bson:"commune_id"`
	Channel   string    `bson:"channel"`
	At        time.Time `bson:"at"`
	By        string    `bson:"by"`
}

// resumes is the collection of channelResume documents (one per commune
// and channel: it stays tiny).
const resumes = "channel_resumes"

// Resume lifts the caller's commune's pause of a channel after an admin
// reconnected it: the pause is deleted, this replica's publisher forgets the
// rejected credential (Reconnected), the resume is recorded for the other
// replicas (see ResumeWatcher) and in the audit log. An unknown channel
// gives apperr.ErrNotFound.
func (s *Dispatcher) Resume(ctx context.Context, actor, channel string) (ChannelStatus, error) {
	if !slices.ContainsFunc(campaigns.Channels, func(c campaigns.Code) bool { return c.Code == channel }) {
		return ChannelStatus{}, apperr.NotFound("channel")
	}
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return ChannelStatus{}, err
	}
	if err := s.ResumeChannel(ctx, channel); err != nil {
		return ChannelStatus{}, fmt.Errorf("resuming %s: %w", channel, err)
	}
	if r, ok := s.publisher(channel).(reconnector); ok {
		r.Reconnected()
	}
	id := sc.CommuneID + "|" + channel
	doc := channelResume{ID: id, CommuneID: sc.CommuneID, Channel: channel, At: s.now().UTC(), By: actor}
	if _, err := s.resumeColl().ReplaceOne(ctx, bson.M{"_id": id}, doc, options.Replace().SetUpsert(true)); err != nil {
		return ChannelStatus{}, fmt.Errorf("recording the resume of %s: %w", channel, err)
	}
	s.items.Record(ctx, campaigns.AuditEntry{Actor: actor, Action: "channel.resume", Detail: channel})
	s.log.Info("channel resumed", "commune", sc.CommuneID, "channel", channel, "by", actor)
	list, err := s.ChannelStatuses(ctx)
	if err != nil {
		return ChannelStatus{}, err
	}
	return list[slices.IndexFunc(list, func(c ChannelStatus) bool { return c.Channel == channel })], nil
}

// resumeColl is where resumes are recorded.
func (s *Dispatcher) resumeColl() *mongo.Collection { return s.channels.Database().Collection(resumes) }

// ResumeWatcher carries a resume made on one replica to the others: a
// publisher's "credential rejected" state and the dispatcher's own record of
// the pause live in each process's memory. Run Sync from the clock every
// few seconds.
type ResumeWatcher struct {
	s       *Dispatcher
	started time.Time
	mu      sync.Mutex
	seen    map[string]time.Time // resume id → the latest At acted on
}

// NewResumeWatcher returns a watcher that acts on resumes recorded from now
// on (earlier ones were acted on when they were made, or by a restart,
// which starts with clean memory).
func (s *Dispatcher) NewResumeWatcher() *ResumeWatcher {
	return &ResumeWatcher{s: s, started: s.now().UTC(), seen: map[string]time.Time{}}
}

// Sync reads the recorded resumes and, for each one not acted on yet, clears
// this replica's memory of the pause and calls the channel publisher's
// Reconnected. It deletes only pauses older than the resume, so a pause set
// again since (the credential is still rejected) stays.
func (w *ResumeWatcher) Sync(ctx context.Context) error {
	s := w.s
	cur, err := s.resumeColl().Find(ctx, bson.M{})
	if err != nil {
		return fmt.Errorf("reading channel resumes: %w", err)
	}
	var list []channelResume
	if err := cur.All(ctx, &list); err != nil {
		return fmt.Errorf("reading channel resumes: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range list {
		last, ok := w.seen[r.ID]
		if !ok {
			last = w.started
		}
		if !r.At.After(last) {
			continue
		}
		w.seen[r.ID] = r.At
		s.mu.Lock()
		delete(s.paused, r.ID)
		s.mu.Unlock()
		if _, err := s.channels.DeleteMany(ctx, bson.M{"_id": r.ID, "updated_at": bson.M{"$lte": r.At}}); err != nil {
			return fmt.Errorf("lifting the pause of %s: %w", r.ID, err)
		}
		if rc, ok := s.publisher(r.Channel).(reconnector); ok {
			rc.Reconnected()
		}
		s.log.Info("channel resume applied", "commune", r.CommuneID, "channel", r.Channel)
	}
	return nil
}
