package scheduler_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/scheduler"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// clock is a settable clock shared by the replicas of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// platform stands in for a social network: it keeps the posts it received,
// answers Reconcile from them, and does what the test scripts on Publish.
type platform struct {
	mu      sync.Mutex
	posts   map[string]int // delivery id → times posted
	calls   int
	publish func(d publishers.Delivery) error // nil: succeed
	block   chan struct{}                     // non-nil: Publish posts, then waits on it
	started chan string
}

func newPlatform() *platform {
	return &platform{posts: map[string]int{}, started: make(chan string, 1000)}
}

func (p *platform) Channel() string { return "facebook" }

func (p *platform) Publish(ctx context.Context, d publishers.Delivery, c publishers.Content) (publishers.Receipt, error) {
	p.mu.Lock()
	p.calls++
	fn, block := p.publish, p.block
	p.mu.Unlock()
	if fn != nil {
		if err := fn(d); err != nil {
			return publishers.Receipt{}, err
		}
	}
	p.mu.Lock()
	p.posts[d.ID]++
	p.mu.Unlock()
	p.started <- d.ID
	if block != nil {
		<-block
	}
	return publishers.Receipt{ExternalID: "page_" + d.ID}, nil
}

func (p *platform) Reconcile(_ context.Context, d publishers.Delivery, _ publishers.Content) (publishers.Receipt, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.posts[d.ID] > 0 {
		return publishers.Receipt{ExternalID: "page_" + d.ID}, true, nil
	}
	return publishers.Receipt{}, false, nil
}

func (p *platform) count(id string) int                   { p.mu.Lock(); defer p.mu.Unlock(); return p.posts[id] }
func (p *platform) totalCalls() int                       { p.mu.Lock(); defer p.mu.Unlock(); return p.calls }
func (p *platform) set(f func(publishers.Delivery) error) { p.mu.Lock(); p.publish = f; p.mu.Unlock() }

// bundle is one test's world: a database, the domain services, a clock and
// a platform, and a first scheduler replica.
type bundle struct {
	t        testing.TB
	db       *mongo.Database
	ctx      context.Context
	clk      *clock
	fb       *platform
	camps    *campaigns.Service
	stations *stations.Service
	sched    *scheduler.Scheduler
	opts     scheduler.Options
	// ended hears of every delivery the replicas end (Deps.Outcomes).
	ended *endings
}

// endings is an OutcomeRecorder that keeps what it is told, as the reach
// service's counters would count it.
type endings struct {
	mu   sync.Mutex
	told []scheduler.Delivery
}

func (e *endings) DeliveryFinished(ctx context.Context, d scheduler.Delivery) error {
	if sc, err := store.ScopeFrom(ctx); err != nil || sc.CommuneID != d.CommuneID {
		return fmt.Errorf("told of %s outside its commune's scope (%v)", d.ID, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.told = append(e.told, d)
	return nil
}

// states returns what it was told, as "title state" in order.
func (e *endings) states() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, d := range e.told {
		out = append(out, d.Title+" "+d.State)
	}
	return out
}

func setup(t testing.TB, opts ...scheduler.Options) *bundle {
	t.Helper()
	b := &bundle{t: t, db: storetest.DB(t), clk: &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, hcm)}, fb: newPlatform(),
		ctx: store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"}), ended: &endings{}}
	if len(opts) > 0 {
		b.opts = opts[0]
	}
	log := slog.New(slog.DiscardHandler)
	b.camps = campaigns.NewService(b.db, b.clk.Now, hcm, log)
	b.stations = stations.NewService(b.db, b.clk.Now, log)
	b.sched = b.replica("a")
	b.camps.Stations, b.camps.Deliveries = b.stations, b.sched
	if err := b.camps.Seed(b.ctx, "lien-minh"); err != nil {
		t.Fatal(err)
	}
	return b
}

// replica is another scheduler over the same database (another process).
func (b *bundle) replica(owner string) *scheduler.Scheduler {
	o := b.opts
	o.Owner = owner
	s := scheduler.New(scheduler.Deps{DB: b.db, Items: b.camps, Publishers: map[string]publishers.Publisher{"facebook": b.fb},
		Fallback: func(string) publishers.Publisher { return b.fb }, Now: b.clk.Now, Location: hcm,
		Log: slog.New(slog.DiscardHandler), Outcomes: b.ended}, o)
	b.t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

var (
	editor  = campaigns.Actor{UserID: "u-editor", Username: "editor"}
	manager = campaigns.Actor{UserID: "u-manager", Username: "manager"}
)

// approved creates, submits and approves an item.
func (b *bundle) approved(in campaigns.ItemInput) campaigns.Item {
	b.t.Helper()
	camp := "lien-minh-gbv-month-2026"
	if in.CampaignID == nil {
		in.CampaignID = &camp
	}
	it, err := b.camps.CreateItem(b.ctx, editor, in)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := b.camps.Submit(b.ctx, editor, it.ID); err != nil {
		b.t.Fatal(err)
	}
	it, _, err = b.camps.Approve(b.ctx, manager, it.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	return it
}

// dueNow approves a post due in a minute and moves the clock there.
func (b *bundle) dueNow(in campaigns.ItemInput) campaigns.Item {
	b.t.Helper()
	it := b.approved(in)
	b.clk.Advance(time.Minute)
	return it
}

// post is a facebook post due at at.
func post(title string, at time.Time) campaigns.ItemInput {
	kind, body := campaigns.KindPost, "Nội dung bài đăng về phòng, chống bạo lực trên cơ sở giới."
	ch := []string{"facebook"}
	return campaigns.ItemInput{Kind: &kind, Title: &title, Body: &body, Channels: &ch, Schedule: &campaigns.Schedule{At: &at}}
}

// deliveries returns the item's deliveries.
func (b *bundle) deliveries(itemID string) []scheduler.Delivery {
	b.t.Helper()
	list, err := b.sched.List(b.ctx, scheduler.Filter{ItemID: itemID, Archived: true})
	if err != nil {
		b.t.Fatal(err)
	}
	return list
}

func (b *bundle) one(itemID string) scheduler.Delivery {
	b.t.Helper()
	list := b.deliveries(itemID)
	if len(list) != 1 {
		b.t.Fatalf("item %s has %d deliveries, want 1", itemID, len(list))
	}
	return list[0]
}

// dispatch runs one dispatch on s and waits for its sends to finish.
func (b *bundle) dispatch(s *scheduler.Scheduler) {
	b.t.Helper()
	if err := s.Dispatch(b.ctx); err != nil {
		b.t.Fatal(err)
	}
	s.Wait()
}

func (b *bundle) count(filter bson.M) int64 {
	n, err := b.db.Collection("deliveries").CountDocuments(b.ctx, filter)
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

func title(i int) string { return fmt.Sprintf("Bài đăng số %d", i) }
