package facebook_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

const (
	pageID    = "546349135390552"
	pageToken = "EAAGpageTokenSECRET0123456789"
	appSecret = "appsecretSECRET9876543210"
)

// bundle is what a test works with: the fake Page, a client pointed at it,
// the client's log output, a settable clock and the recorded slow-downs.
type bundle struct {
	fake   *facebooktest.Server
	client *facebook.Client
	logs   *publishertest.Logs
	clock  *publishertest.Clock
	mu     sync.Mutex
	sleeps []time.Duration
}

// setup starts a fake Page and a client for it. edit may change the client
// configuration before New.
func setup(t *testing.T, edit func(*facebook.Config), opts ...facebooktest.Option) *bundle {
	t.Helper()
	b := &bundle{logs: &publishertest.Logs{}, clock: publishertest.NewClock()}
	b.fake = facebooktest.New(t, pageID, pageToken, append([]facebooktest.Option{facebooktest.WithClock(b.clock.Now)}, opts...)...)
	cfg := facebook.Config{
		GraphURL:  b.fake.URL,
		PageID:    pageID,
		PageToken: pageToken,
		HTTP:      &http.Client{Timeout: 5 * time.Second},
		Now:       b.clock.Now,
		Log:       b.logs.Logger(),
		Sleep: func(ctx context.Context, d time.Duration) error {
			b.mu.Lock()
			b.sleeps = append(b.sleeps, d)
			b.mu.Unlock()
			return ctx.Err()
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	b.client = facebook.New(cfg)
	return b
}

func (b *bundle) slept() []time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]time.Duration(nil), b.sleeps...)
}

// delivery is a delivery due at the bundle's current time.
func (b *bundle) delivery() publishers.Delivery {
	return publishers.Delivery{ID: "d1", Channel: "facebook", DueAt: b.clock.Now(), Attempt: 1}
}

func text(title, body string) publishers.Content {
	return publishers.Content{Kind: "post", Title: title, Body: body}
}
