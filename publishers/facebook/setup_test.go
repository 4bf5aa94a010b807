package facebook_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"context"

	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
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
	logs   *syncBuffer
	clock  *clock
	mu     sync.Mutex
	sleeps []time.Duration
}

// setup starts a fake Page and a client for it. edit may change the client
// configuration before New.
func setup(t *testing.T, edit func(*facebook.Config), opts ...facebooktest.Option) *bundle {
	t.Helper()
	b := &bundle{logs: &syncBuffer{}, clock: newClock()}
	b.fake = facebooktest.New(t, pageID, pageToken, append([]facebooktest.Option{facebooktest.WithClock(b.clock.Now)}, opts...)...)
	cfg := facebook.Config{
		GraphURL:  b.fake.URL,
		PageID:    pageID,
		PageToken: pageToken,
		HTTP:      &http.Client{Timeout: 5 * time.Second},
		Now:       b.clock.Now,
		Log:       slog.New(slog.NewJSONHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
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

// clock is a settable time source.
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

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
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

// pngImage is a small real PNG.
func pngImage(t *testing.T, name string) publishers.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return publishers.Image{Name: name, ContentType: "image/png", Data: buf.Bytes()}
}

// classOf returns the class and publish error of err, failing the test when
// err is not a *publishers.Error.
func classOf(t *testing.T, err error) (publishers.Class, *publishers.Error) {
	t.Helper()
	var pe *publishers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *publishers.Error", err, err)
	}
	return pe.Class, pe
}

func text(title, body string) publishers.Content {
	return publishers.Content{Kind: "post", Title: title, Body: body}
}
