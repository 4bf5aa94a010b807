package reach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/store"
)

// Polling windows (SPEC §3G, issue 4): posts younger than RecentAge are
// polled hourly, older ones up to MaxPollAge daily; platforms' lifetime
// figures barely move after that.
const (
	RecentAge  = 7 * 24 * time.Hour
	MaxPollAge = 28 * 24 * time.Hour
)

// BusyUsage is the rate-limit usage (percent) above which the clock's polls
// of a channel wait for the next round: the reference advises deferring
// insights above 75–80 %. A poll asked for by a person still runs.
const BusyUsage = 80

// SentPost is a published post whose statistics can be read back.
type SentPost struct {
	CommuneID  string
	CampaignID string
	ItemID     string
	Channel    string
	ExternalID string
	SentAt     time.Time
}

// SentDeliveries lists sent deliveries (deliveries.Service.Sent).
type SentDeliveries interface {
	Sent(ctx context.Context, f deliveries.SentFilter) ([]deliveries.Delivery, error)
}

// sentPosts lists the posts of channels sent in [from, to) that the
// platform gave an id: every commune's when all is set, else those of the
// context's commune scope.
func (p *Poller) sentPosts(ctx context.Context, channels []string, from, to time.Time, all bool) ([]SentPost, error) {
	list, err := p.sent.Sent(ctx, deliveries.SentFilter{Channels: channels, From: from, To: to, WithExternalID: true, AllCommunes: all})
	if err != nil {
		return nil, err
	}
	out := make([]SentPost, 0, len(list))
	for _, d := range list {
		sp := SentPost{CommuneID: d.CommuneID, CampaignID: d.CampaignID, ItemID: d.ItemID, Channel: d.Channel, ExternalID: d.ExternalID}
		if d.SentAt != nil {
			sp.SentAt = *d.SentAt
		}
		out = append(out, sp)
	}
	return out, nil
}

// PollResult is what one poll did. Errors are the platforms' safe messages
// (publishers.Error never carries a credential).
type PollResult struct {
	Posts     int      `json:"posts"`
	Snapshots int      `json:"snapshots"`
	Errors    []string `json:"errors"`
}

// Poller reads the lifetime statistics of recent posts from each channel
// that has them and records them as snapshots (RecordSnapshot: totals keep
// the latest value per post, and unknown stays distinct from 0).
type Poller struct {
	reach   *Service
	stats   map[string]publishers.StatsPoller
	sent    SentDeliveries
	now     func() time.Time
	log     *slog.Logger
	batch   int
	observe func(channel string, ok bool)
}

// PollerDeps are what NewPoller needs.
type PollerDeps struct {
	Reach *Service
	// Stats are the channels polled (facebook, zalo…); nil or empty polls
	// nothing.
	Stats map[string]publishers.StatsPoller
	// Sent lists the sent posts (deliveries.Service).
	Sent SentDeliveries
	Now  func() time.Time
	Log  *slog.Logger
	// Batch is how many post ids one Stats call gets (default 500).
	// Zalo reads its whole article list on every call, so a round should
	// fit in one batch.
	Batch int
	// Observe, if set, is told of every Stats call: its channel and whether
	// it succeeded (the /metrics reach-poll counter).
	Observe func(channel string, ok bool)
}

// NewPoller returns a poller of the channels in d.Stats.
func NewPoller(d PollerDeps) *Poller {
	if d.Batch <= 0 {
		d.Batch = 500
	}
	return &Poller{reach: d.Reach, stats: d.Stats, sent: d.Sent, now: d.Now, log: d.Log, batch: d.Batch, observe: d.Observe}
}

// PollNow polls the caller's commune's posts younger than MaxPollAge, for
// POST /api/v1/reach/poll. It needs the commune scope in ctx.
func (p *Poller) PollNow(ctx context.Context) (PollResult, error) {
	if _, err := store.ScopeFrom(ctx); err != nil {
		return PollResult{}, err
	}
	now := p.now()
	return p.poll(ctx, now.Add(-MaxPollAge), time.Time{}, false, false)
}

// PollRecent polls every commune's posts younger than RecentAge: the clock
// runs it hourly.
func (p *Poller) PollRecent(ctx context.Context) error {
	res, err := p.poll(ctx, p.now().Add(-RecentAge), time.Time{}, true, true)
	p.logResult("recent", res, err)
	return err
}

// PollOlder polls every commune's posts from RecentAge to MaxPollAge old:
// the clock runs it daily.
func (p *Poller) PollOlder(ctx context.Context) error {
	now := p.now()
	res, err := p.poll(ctx, now.Add(-MaxPollAge), now.Add(-RecentAge), true, true)
	p.logResult("older", res, err)
	return err
}

func (p *Poller) logResult(which string, res PollResult, err error) {
	if err == nil && len(res.Errors) == 0 {
		p.log.Info("reach poll", "window", which, "posts", res.Posts, "snapshots", res.Snapshots)
		return
	}
	p.log.Warn("reach poll", "window", which, "posts", res.Posts, "snapshots", res.Snapshots, "errors", len(res.Errors), "err", err)
}

// poll reads the posts sent in [from, to) and their statistics. A platform
// failure is reported in the result and ends that channel's round (the
// rest of its posts wait for the next one); a store failure is the error.
func (p *Poller) poll(ctx context.Context, from, to time.Time, all, deferBusy bool) (PollResult, error) {
	res := PollResult{Errors: []string{}}
	channels := slices.Sorted(maps.Keys(p.stats))
	if len(channels) == 0 {
		return res, nil
	}
	posts, err := p.sentPosts(ctx, channels, from, to, all)
	if err != nil {
		return res, fmt.Errorf("listing posts to poll: %w", err)
	}
	byChannel := map[string]map[string][]SentPost{} // channel → external id → posts
	for _, sp := range posts {
		if sp.ExternalID == "" {
			continue
		}
		if byChannel[sp.Channel] == nil {
			byChannel[sp.Channel] = map[string][]SentPost{}
		}
		byChannel[sp.Channel][sp.ExternalID] = append(byChannel[sp.Channel][sp.ExternalID], sp)
	}
	for _, ch := range channels {
		ids := slices.Sorted(maps.Keys(byChannel[ch]))
		if len(ids) == 0 {
			continue
		}
		if deferBusy && busy(p.stats[ch]) {
			res.Errors = append(res.Errors, fmt.Sprintf("%s: rate-limit usage above %d %%, polling deferred", ch, BusyUsage))
			continue
		}
		if err := p.pollChannel(ctx, ch, ids, byChannel[ch], &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// pollChannel reads one channel's posts in batches and records snapshots.
func (p *Poller) pollChannel(ctx context.Context, ch string, ids []string, posts map[string][]SentPost, res *PollResult) error {
	batch := p.batch
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		stats, err := p.stats[ch].Stats(ctx, part)
		if p.observe != nil {
			p.observe(ch, err == nil)
		}
		res.Posts += len(stats)
		for _, id := range part {
			st, ok := stats[id]
			if !ok {
				continue
			}
			for _, sp := range posts[id] {
				recorded, err := p.record(ctx, sp, st)
				if err != nil {
					return err
				}
				if recorded {
					res.Snapshots++
				}
			}
		}
		if err != nil {
			res.Errors = append(res.Errors, ch+": "+safeMessage(err))
			if class, _ := publishers.Classify(err); class != publishers.Permanent {
				return nil // the channel as a whole failed: the next round retries
			}
		}
	}
	return nil
}

// record stores one post's statistics; it records nothing when every value
// is unknown (the platform gave no figure yet).
func (p *Poller) record(ctx context.Context, sp SentPost, stats []publishers.Stat) (bool, error) {
	snap := Snapshot{CommuneID: sp.CommuneID, CampaignID: sp.CampaignID, ItemID: sp.ItemID, Channel: sp.Channel,
		ExternalID: sp.ExternalID, Values: map[string]*int64{}, Platform: map[string]string{}}
	known := false
	for _, s := range stats {
		if !KnownMetric(s.Metric) {
			continue
		}
		snap.Values[s.Metric], snap.Platform[s.Metric] = s.Value, s.PlatformMetric
		if s.APIVersion != "" {
			snap.APIVersion = s.APIVersion
		}
		known = known || s.Value != nil
	}
	if !known {
		return false, nil
	}
	if err := p.reach.RecordSnapshot(ctx, snap); err != nil {
		return false, fmt.Errorf("recording the snapshot of %s post %s: %w", sp.Channel, sp.ExternalID, err)
	}
	return true, nil
}

// busy reports whether a poller's platform says its rate limit is nearly used.
func busy(sp publishers.StatsPoller) bool {
	hr, ok := sp.(interface{ Health() publishers.Health })
	if !ok {
		return false
	}
	h := hr.Health()
	return h.Usage != nil && *h.Usage >= BusyUsage
}

// safeMessage is a platform error's message: the publishers' classified
// errors are safe to show (no credentials); anything else is summarised.
func safeMessage(err error) string {
	var pe *publishers.Error
	if errors.As(err, &pe) {
		return err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return "timed out"
	}
	return "the platform could not be read"
}
