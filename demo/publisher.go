package demo

import (
	"context"
	"sync"

	"github.com/lantoa/lantoa/publishers"
)

// FailingOnce wraps a publisher so that its first publish fails for good,
// as a platform refusing a post does: the demo then has a dead delivery for
// editors to see (and retry).
func FailingOnce(p publishers.Publisher) publishers.Publisher {
	return &failingOnce{Publisher: p}
}

type failingOnce struct {
	publishers.Publisher
	once sync.Once
}

func (f *failingOnce) Publish(ctx context.Context, d publishers.Delivery, c publishers.Content) (publishers.Receipt, error) {
	failed := false
	f.once.Do(func() { failed = true })
	if failed {
		return publishers.Receipt{}, publishers.Errorf(publishers.Permanent, "-216",
			"Zalo OA từ chối bài viết: ảnh bìa không hợp lệ (demo)")
	}
	return f.Publisher.Publish(ctx, d, c)
}

// Outbox passes on whether the wrapped publisher is the outbox, so that
// the channels page says where the demo's posts go.
func (f *failingOnce) Outbox() bool {
	o, ok := f.Publisher.(interface{ Outbox() bool })
	return ok && o.Outbox()
}
