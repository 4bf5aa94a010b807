package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logWriter buffers the service's JSON log lines and writes them out in
// batches: every flushEvery, whenever logBufferMax bytes wait, and at once
// after a warning or an error (flushOnWarn). One write(2) per request line
// cost the hottest route (the rundown pull) about a seventh of its time;
// this is nginx's "access_log buffer= flush=" for the same reason. A crash
// (kill -9) can lose at most the last flushEvery of informational lines.
type logWriter struct {
	mu      sync.Mutex
	out     io.Writer
	buf     []byte
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

const (
	logBufferMax = 64 << 10
	flushEvery   = 200 * time.Millisecond
)

func newLogWriter(out io.Writer) *logWriter {
	l := &logWriter{out: out, buf: make([]byte, 0, logBufferMax), stop: make(chan struct{}), stopped: make(chan struct{})}
	go l.loop()
	return l
}

// Write takes one whole line from the slog handler (which writes each
// record in one call), so lines are never split or interleaved.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) >= logBufferMax {
		if err := l.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes out what is waiting.
func (l *logWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flushLocked()
}

func (l *logWriter) flushLocked() error {
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.out.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}

func (l *logWriter) loop() {
	defer close(l.stopped)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			_ = l.Flush()
		}
	}
}

// Close stops the periodic flush and writes out the rest.
func (l *logWriter) Close() error {
	l.once.Do(func() { close(l.stop) })
	<-l.stopped
	return l.Flush()
}

// flushOnWarn writes warnings and errors out at once, with everything
// logged before them, so that nothing an operator must see waits.
type flushOnWarn struct {
	slog.Handler
	w *logWriter
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.w.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushOnWarn) WithAttrs(a []slog.Attr) slog.Handler {
	return flushOnWarn{h.Handler.WithAttrs(a), h.w}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{h.Handler.WithGroup(name), h.w}
}
