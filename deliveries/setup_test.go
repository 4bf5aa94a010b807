package deliveries_test

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

var (
	hcm   = deliveriestest.HCM
	post  = deliveriestest.Post
	title = deliveriestest.Title
)

// page is a Facebook Page that takes every post, or refuses every one with
// the error set.
type page struct {
	mu     sync.Mutex
	refuse error
}

func (p *page) Channel() string { return "facebook" }

func (p *page) Publish(_ context.Context, d publishers.Delivery, _ publishers.Content) (publishers.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refuse != nil {
		return publishers.Receipt{}, p.refuse
	}
	return publishers.Receipt{ExternalID: "page_" + d.ID}, nil
}

func (p *page) Reconcile(context.Context, publishers.Delivery, publishers.Content) (publishers.Receipt, bool, error) {
	return publishers.Receipt{}, false, nil
}

func (p *page) set(err error) { p.mu.Lock(); p.refuse = err; p.mu.Unlock() }

// bundle is one test's world (deliveriestest.World) with a page and a
// dispatcher sending to it, so that deliveries reach their every state.
type bundle struct {
	*deliveriestest.World
	fb    *page
	sched *dispatch.Dispatcher
}

func setup(t testing.TB) *bundle {
	t.Helper()
	b := &bundle{World: deliveriestest.New(t, deliveries.Options{}), fb: &page{}}
	b.sched = dispatch.New(dispatch.Deps{DB: b.DB, Deliveries: b.Deliveries, Items: b.Campaigns,
		Publishers: map[string]publishers.Publisher{"facebook": b.fb}, Fallback: func(string) publishers.Publisher { return b.fb },
		Location: hcm, Log: slog.New(slog.DiscardHandler)}, dispatch.Options{})
	t.Cleanup(func() { b.sched.Stop(context.Background()) })
	return b
}

// dispatch runs one dispatch and waits for its sends to finish.
func (b *bundle) dispatch() {
	b.T.Helper()
	if err := b.sched.Dispatch(b.Ctx); err != nil {
		b.T.Fatal(err)
	}
	b.sched.Wait()
}
