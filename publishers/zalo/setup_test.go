package zalo_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/publishertest"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

// bundle is what a test works with: the fake OA, a client pointed at it,
// the client's log output and a settable clock.
type bundle struct {
	fake   *zalotest.Server
	client *zalo.Client
	cfg    zalo.Config
	logs   *publishertest.Logs
	clock  *publishertest.Clock
}

// setup starts a fake OA and a client for it with an in-memory token
// store; edit may change the configuration before New.
func setup(t *testing.T, edit func(*zalo.Config), opts ...zalotest.Option) *bundle {
	t.Helper()
	b := &bundle{logs: &publishertest.Logs{}, clock: publishertest.NewClock()}
	b.fake = zalotest.New(t, append([]zalotest.Option{zalotest.WithClock(b.clock.Now)}, opts...)...)
	b.cfg = b.config(t)
	if edit != nil {
		edit(&b.cfg)
	}
	b.client = zalo.New(b.cfg)
	return b
}

// config is a client configuration for the bundle's fake.
func (b *bundle) config(t *testing.T) zalo.Config {
	return zalo.Config{
		APIURL: b.fake.URL, OAuthURL: b.fake.OAuthURL,
		AppID: b.fake.AppID, AppSecret: b.fake.AppSecret,
		InitialRefreshToken: b.fake.InitialRefreshToken(),
		Tokens:              zalo.NewMemoryTokenStore(b.clock.Now),
		HTTP:                &http.Client{Timeout: 5 * time.Second},
		Now:                 b.clock.Now,
		Log:                 b.logs.Logger(),
		Author:              "UBND xã Liên Minh",
		PublicURL:           func(img publishers.Image) string { return "https://lienminh.example.vn/media/" + img.Name },
		VerifyInterval:      time.Millisecond,
		Sleep:               func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	}
}

func (b *bundle) delivery() publishers.Delivery {
	return publishers.Delivery{ID: "d1", Channel: "zalo", DueAt: b.clock.Now(), Attempt: 1}
}

// callsTo returns the fake's calls to path.
func (b *bundle) callsTo(path string) []zalotest.Call {
	var out []zalotest.Call
	for _, c := range b.fake.Calls() {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// post is article content with one cover image.
func post(t *testing.T, title, body string) publishers.Content {
	return publishers.Content{Kind: "post", Title: title, Body: body, Images: []publishers.Image{publishertest.PNG(t, "cover.png")}}
}
