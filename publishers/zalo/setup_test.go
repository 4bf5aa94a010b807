package zalo_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/zalo"
	"github.com/lantoa/lantoa/publishers/zalo/zalotest"
)

// bundle is what a test works with: the fake OA, a client pointed at it,
// the client's log output and a settable clock.
type bundle struct {
	fake   *zalotest.Server
	client *zalo.Client
	cfg    zalo.Config
	logs   *syncBuffer
	clock  *clock
}

// setup starts a fake OA and a client for it with an in-memory token
// store; edit may change the configuration before New.
func setup(t *testing.T, edit func(*zalo.Config), opts ...zalotest.Option) *bundle {
	t.Helper()
	b := &bundle{logs: &syncBuffer{}, clock: newClock()}
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
		Log:                 slog.New(slog.NewJSONHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
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
	return publishers.Content{Kind: "post", Title: title, Body: body, Images: []publishers.Image{pngImage(t, "cover.png")}}
}

func pngImage(t *testing.T, name string) publishers.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(2, 2, color.RGBA{B: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return publishers.Image{Name: name, ContentType: "image/png", Data: buf.Bytes()}
}

func classOf(t *testing.T, err error) (publishers.Class, *publishers.Error) {
	t.Helper()
	var pe *publishers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *publishers.Error", err, err)
	}
	return pe.Class, pe
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 11, 25, 6, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
