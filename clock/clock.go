// Package clock runs the service's time-driven work: named jobs on cron
// schedules (robfig/cron, with seconds) in the commune's time zone. Each
// domain puts its own jobs on it (dispatch, deliveries' housekeeping,
// reach's tallies and polls, the accounts' sweeps); app starts and stops it.
package clock

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

// New returns a stopped clock.
func New(loc *time.Location, log *slog.Logger) *Clock {
	ctx, stop := context.WithCancel(context.Background())
	logger := cronLogger{log}
	return &Clock{
		cron: cron.New(cron.WithSeconds(), cron.WithLocation(loc), cron.WithLogger(logger),
			cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger))),
		log: log, ctx: ctx, stop: stop,
	}
}

// Add schedules job under name on spec ("0 */5 * * * *": every five
// minutes). The job's context is cancelled when the clock stops. A failing
// job is logged once with its cause, not at every tick: while it keeps
// failing the same way it logs at debug level, and it logs again when the
// cause changes and when it recovers.
func (c *Clock) Add(spec, name string, job func(context.Context) error) error {
	_, err := c.cron.AddFunc(spec, c.run(name, job))
	return err
}

// run is what the clock calls at each tick of job: the job, and its log.
func (c *Clock) run(name string, job func(context.Context) error) func() {
	var failing string // the cause of the last failure, "" after a success
	return func() {
		start := time.Now()
		err := job(c.ctx)
		switch {
		case err != nil && c.ctx.Err() != nil:
			return // stopping
		case err != nil && err.Error() == failing:
			c.log.Debug("clock job still failing", "job", name, "err", err)
		case err != nil:
			failing = err.Error()
			c.log.Error("clock job failed; it runs again at its next tick", "job", name, "err", err)
		case failing != "":
			failing = ""
			c.log.Info("clock job recovered", "job", name, "ms", time.Since(start).Milliseconds())
		default:
			c.log.Debug("clock job done", "job", name, "ms", time.Since(start).Milliseconds())
		}
	}
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
