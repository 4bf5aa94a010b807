package demo_test

import (
	"testing"
	"time"

	"github.com/lantoa/lantoa/demo"
	"github.com/lantoa/lantoa/publishers/outbox"
)

// TestFailingOnceIsStillTheOutbox: the demo's Zalo publisher (the outbox,
// failing once) is shown as the outbox on the channels page, never as a
// channel that reaches Zalo.
func TestFailingOnceIsStillTheOutbox(t *testing.T) {
	t.Parallel()
	p := demo.FailingOnce(outbox.New(t.TempDir(), "zalo", time.UTC, time.Now))
	o, ok := p.(interface{ Outbox() bool })
	if !ok || !o.Outbox() {
		t.Fatal("the wrapped outbox does not say it is the outbox")
	}
}
