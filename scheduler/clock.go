// Package scheduler owns time-driven work: the robfig/cron clock and, as it
// grows, materialising deliveries, claiming, dispatch, retries and misfires.
package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Clock runs named jobs on cron schedules (with seconds) in the commune's
// time zone. A panicking job is recovered and logged; a job still running
// when its next tick comes is skipped, never run twice at once.
type Clock struct {
	cron *cron.Cron
	log  *slog.Logger
	ctx  context.Context
	stop context.CancelFunc
}

// NewClock returns a stopped clock.
func NewClock(loc *time.Location, log *slog.Logger) *Clock {
	ctx, stop := context.WithCancel(context.Background())
	logger := cronLogger{log}
	return &Clock{
		cron: cron.New(cron.WithSeconds(), cron.WithLocation(loc), cron.WithLogger(logger),
			cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger))),
		log: log, ctx: ctx, stop: stop,
	}
}

// Add schedules job under name on spec ("0 */5 * * * *": every five
// minutes). The job's context is cancelled when the clock stops.
func (c *Clock) Add(spec, name string, job func(context.Context) error) error {
	_, err := c.cron.AddFunc(spec, func() {
		start := time.Now()
		if err := job(c.ctx); err != nil && c.ctx.Err() == nil {
			c.log.Error("clock job failed", "job", name, "err", err)
			return
		}
		c.log.Debug("clock job done", "job", name, "ms", time.Since(start).Milliseconds())
	})
	return err
}

// Start starts the clock in its own goroutine.
func (c *Clock) Start() { c.cron.Start() }

// Stop stops scheduling, cancels running jobs' context and waits for them.
func (c *Clock) Stop() {
	done := c.cron.Stop()
	c.stop()
	<-done.Done()
}

// cronLogger adapts slog to cron's logger interface.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
