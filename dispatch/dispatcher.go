// Package dispatch sends the deliveries that fall due: on the clock it
// scans for due deliveries (deliveries.Service.Due), claims each as a send
// slot of its channel frees up, turns the item into what the channel takes
// (Content), calls the channel's publisher and records the outcome
// (deliveries.Service.Settle), pausing a channel whose credential or
// account fails. It also keeps the deliveries' housekeeping on the clock:
// recurrences topped up, unconfirmed slots and posts nobody made marked
// missed, finished deliveries archived, outcomes retold to reach.
//
// It sits above deliveries and campaigns: every dependency is given to New.
package dispatch

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/store"
)

// Options tune the dispatcher; zero values take the defaults.
type Options struct {
	// Grace is the misfire window per channel (defaults: loudspeaker 30 min,
	// facebook, zalo, portal 6 h, print and event 24 h).
	Grace map[string]time.Duration
	// Concurrency bounds sends in flight per channel (default 4).
	Concurrency int
	// MaxAttempts before a transient failure is given up as dead (default 8).
	MaxAttempts int
	// PublishTimeout bounds one publish call (default 2 min).
	PublishTimeout time.Duration
	// LookAhead is how far past now a dispatch scan reads, the deliveries
	// due within it started at their time (default 1.8 s, just under the
	// clock's 2 s between dispatches).
	LookAhead time.Duration
}

func (o Options) withDefaults() Options {
	grace := map[string]time.Duration{"loudspeaker": 30 * time.Minute, "facebook": 6 * time.Hour,
		"zalo": 6 * time.Hour, "portal": 6 * time.Hour, "print": 24 * time.Hour, "event": 24 * time.Hour}
	for k, v := range o.Grace {
		grace[k] = v
	}
	o.Grace = grace
	if o.Concurrency == 0 {
		o.Concurrency = 4
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 8
	}
	if o.PublishTimeout == 0 {
		o.PublishTimeout = 2 * time.Minute
	}
	if o.LookAhead == 0 {
		o.LookAhead = 1800 * time.Millisecond
	}
	return o
}

// Items is what the dispatcher reads of the campaigns domain
// (campaigns.Service): the current item of a delivery, the approved items
// whose recurrences it tops up, and the audit log.
type Items interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	ApprovedItems(ctx context.Context, day string) ([]campaigns.Item, error)
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Observer is told of every publish call: its channel, how long it took and
// the error class ("" on success). Metrics implement it.
type Observer interface {
	Published(channel string, d time.Duration, class string)
}

// ContentSource turns an item into what is sent on a channel (texts, and the
// images of its media); the default sends the texts only.
type ContentSource func(ctx context.Context, it campaigns.Item, channel string) (publishers.Content, error)

// Deps are what New needs.
type Deps struct {
	DB         *mongo.Database
	Deliveries *deliveries.Service
	Items      Items
	Content    ContentSource
	// Publishers by channel; a channel without one uses Fallback (the outbox).
	Publishers map[string]publishers.Publisher
	Fallback   func(channel string) publishers.Publisher
	// Observer, if set, is told of every publish call.
	Observer Observer
	Location *time.Location
	Log      *slog.Logger
}

// Dispatcher sends due deliveries.
type Dispatcher struct {
	d        *deliveries.Service
	channels *mongo.Collection // channel_state: the pauses (channels.go)
	items    Items
	content  ContentSource
	observer Observer
	pubs     map[string]publishers.Publisher
	fallback func(channel string) publishers.Publisher
	loc      *time.Location
	log      *slog.Logger
	opt      Options

	mu       sync.Mutex
	sems     map[string]chan struct{}
	paused   map[string]time.Time // channels this replica paused, by commune|channel
	inflight sync.WaitGroup
	stopping chan struct{}
	stopOnce sync.Once
}

// New returns a dispatcher; it does nothing until its jobs are put on a
// clock (Schedule) or its methods are called. It keeps the deliveries'
// clock (deliveries.Service.Now).
func New(d Deps, o Options) *Dispatcher {
	if d.Content == nil {
		d.Content = TextContent
	}
	return &Dispatcher{
		d: d.Deliveries, channels: d.DB.Collection("channel_state"), items: d.Items, content: d.Content,
		observer: d.Observer, pubs: d.Publishers, fallback: d.Fallback, loc: d.Location, log: d.Log, opt: o.withDefaults(),
		sems: map[string]chan struct{}{}, paused: map[string]time.Time{}, stopping: make(chan struct{}),
	}
}

// Indexes are the dispatcher's collections' indexes (none: channel_state
// and channel_resumes hold one document per commune and channel).
func Indexes() []store.Index { return nil }

// TextContent sends an item's title, body and link.
func TextContent(_ context.Context, it campaigns.Item, _ string) (publishers.Content, error) {
	return publishers.Content{Kind: it.Kind, Title: it.Title, Body: it.Body, Link: it.Link}, nil
}

// now is the deliveries' clock.
func (s *Dispatcher) now() time.Time { return s.d.Now() }

// publisher returns the channel's publisher, or the fallback.
func (s *Dispatcher) publisher(channel string) publishers.Publisher {
	if p, ok := s.pubs[channel]; ok {
		return p
	}
	return s.fallback(channel)
}

// ByHandChannels names the channels of pubs that a person publishes
// (publishers.ByHand), for deliveries.Deps.ByHand.
func ByHandChannels(pubs map[string]publishers.Publisher) []string {
	var out []string
	for ch, p := range pubs {
		if publishers.IsByHand(p) {
			out = append(out, ch)
		}
	}
	return out
}

// scoped returns ctx in the commune's scope, for system work on its records.
func scoped(ctx context.Context, commune string) context.Context {
	return store.WithScope(ctx, store.Scope{CommuneID: commune})
}
