// Package publishertest holds what the tests of every publisher share: a
// settable clock, a capture of a client's logs, real images, the check that
// an error is a classified *publishers.Error, servers that fail the way
// networks do (refuse, drop, never answer), and Fake, the part every fake
// platform server embeds (recorded calls, queued failures, hangs).
package publishertest

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers"
)

// Clock is a settable time source, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at 06:00 on 25 November 2026, Vietnam time (the
// International Day for the Elimination of Violence against Women).
func NewClock() *Clock {
	return &Clock{t: time.Date(2026, 11, 25, 6, 0, 0, 0, time.FixedZone("ICT", 7*3600))}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Logs captures what a logger writes, safe for the concurrent writes of a
// client's goroutines. The zero value is ready to use.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Logger returns a JSON logger at debug level writing to l: the most a
// client can log, for tests that check what it never logs.
func (l *Logs) Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// PNG returns a real 8×8 PNG image named name.
func PNG(t testing.TB, name string) publishers.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return publishers.Image{Name: name, ContentType: "image/png", Data: buf.Bytes()}
}

// ClassOf returns the class and the *publishers.Error of err, failing the
// test at once when err is not (or does not wrap) a *publishers.Error.
func ClassOf(t testing.TB, err error) (publishers.Class, *publishers.Error) {
	t.Helper()
	var pe *publishers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *publishers.Error", err, err)
	}
	return pe.Class, pe
}

// WantUnanswered runs publish, a send the platform received but never
// answers (a fake told to Hang): it must fail as Unknown (the post may
// exist: reconcile before any resend), or the test fails at once, and give
// up at about the client's timeout, not later than 3 s.
func WantUnanswered(t testing.TB, publish func() error) {
	t.Helper()
	start := time.Now()
	err := publish()
	if class, _ := publishers.Classify(err); class != publishers.Unknown {
		t.Fatalf("class = %v (%v), want unknown", class, err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("publish took %v, want about the client timeout", el)
	}
}
