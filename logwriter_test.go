package main

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is an io.Writer safe for the flush loop and the test alike,
// counting the writes it gets.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuffer) snapshot() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

func TestLogWriterBatchesInfoAndFlushesWarnings(t *testing.T) {
	out := &lockedBuffer{}
	w := newLogWriter(out)
	log := slog.New(flushOnWarn{slog.NewJSONHandler(w, nil), w}).With("svc", "lantoa")
	for i := range 100 {
		log.Info("http", "route", "/api/v1/stations/:id/rundown", "i", i)
	}
	// Nothing is written per line: the hundred lines wait for the batch.
	if s, n := out.snapshot(); n > 1 {
		t.Fatalf("%d writes for 100 info lines (%d bytes written)", n, len(s))
	}
	log.Error("publishing failed", "channel", "zalo")
	s, writes := out.snapshot()
	if !strings.Contains(s, `"msg":"publishing failed"`) || strings.Count(s, "\n") != 101 {
		t.Fatalf("after an error: %d lines, error line present: %v", strings.Count(s, "\n"), strings.Contains(s, "publishing failed"))
	}
	if writes > 2 {
		t.Fatalf("%d writes for 101 lines", writes)
	}
	// Every line is whole and in order.
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") || !strings.Contains(line, `"svc":"lantoa"`) {
			t.Fatalf("line %d is not a whole record: %q", i, line)
		}
	}
	// Info lines reach the output by themselves within the flush interval.
	log.Info("later")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if s, _ := out.snapshot(); strings.Contains(s, `"msg":"later"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an info line was not written within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Info("last words")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if s, _ := out.snapshot(); !strings.Contains(s, "last words") {
		t.Fatal("Close lost the waiting line")
	}
}

func TestLogWriterWritesOutWhenTheBufferIsFull(t *testing.T) {
	out := &lockedBuffer{}
	w := newLogWriter(out)
	defer w.Close()
	line := strings.Repeat("x", 1000) + "\n"
	for range 70 {
		if _, err := w.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := out.snapshot()
	if len(s) < logBufferMax || len(s)%len(line) != 0 {
		t.Fatalf("%d bytes written after 70,000 were logged; want at least the %d-byte buffer, in whole lines", len(s), logBufferMax)
	}
}
