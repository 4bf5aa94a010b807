package dispatch_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/deliveries/deliveriestest"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/publishers"
)

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

// bundle is one test's world (deliveriestest.World) with a platform and
// a first dispatcher replica on it.
type bundle struct {
	*deliveriestest.World
	fb    *platform
	sched *dispatch.Dispatcher
	opts  dispatch.Options
}

var (
	hcm   = deliveriestest.HCM
	post  = deliveriestest.Post
	title = deliveriestest.Title
)

func setup(t testing.TB) *bundle {
	t.Helper()
	return setupWith(t, deliveries.Options{}, dispatch.Options{})
}

// setupWith is setup with the replicas' deliveries and dispatch options.
func setupWith(t testing.TB, do deliveries.Options, o dispatch.Options) *bundle {
	t.Helper()
	b := &bundle{World: deliveriestest.New(t, do), fb: newPlatform(), opts: o}
	b.sched = b.dispatcher(b.Deliveries)
	return b
}

// replica is another dispatcher, over another replica's deliveries, on
// the same database (another process).
func (b *bundle) replica(owner string) *dispatch.Dispatcher { return b.dispatcher(b.Replica(owner)) }

func (b *bundle) dispatcher(d *deliveries.Service) *dispatch.Dispatcher {
	s := dispatch.New(dispatch.Deps{DB: b.DB, Deliveries: d, Items: b.Campaigns, Publishers: map[string]publishers.Publisher{"facebook": b.fb},
		Fallback: func(string) publishers.Publisher { return b.fb }, Location: hcm, Log: slog.New(slog.DiscardHandler)}, b.opts)
	b.T.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

// dispatch runs one dispatch on s and waits for its sends to finish.
func (b *bundle) dispatch(s *dispatch.Dispatcher) {
	b.T.Helper()
	if err := s.Dispatch(b.Ctx); err != nil {
		b.T.Fatal(err)
	}
	s.Wait()
}
