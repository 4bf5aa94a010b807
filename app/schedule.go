package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lantoa/lantoa/config"
)

// schedule puts every domain's jobs on the clock: the dispatcher's and the
// deliveries' (dispatch.Dispatcher.Schedule), and the table below.
//
//   - the station devices' token use written every ten seconds, expired
//     tokens swept hourly;
//   - the observance campaigns of every commune seeded daily at 00:05;
//   - the QR scan counter's salts and hashes of past days swept hourly (no
//     personal data kept past the day);
//   - plan files uploaded for an import and left: kept hours, not days;
//   - the reach rollups repaired every quarter hour;
//   - reach polled: posts younger than 7 days hourly (at minute 7), 7 to 28
//     days daily (03:37);
//   - every 10 s each replica applies the channel resumes made on another;
//   - the 25/11 report deadline notice set or cleared hourly (it shows from
//     01/11 to 24/11);
//   - scripts' syntheses run every five seconds (one at a time per
//     replica: the clock skips a tick while the last one runs), their old
//     jobs and Vbee callbacks swept daily;
//   - when LOUDSPEAKER_WEBHOOK_URL is set, every station's next-day rundown
//     pushed daily at LOUDSPEAKER_PUSH_AT.
func (a *App) schedule(cfg *config.Config) error {
	watcher := a.Dispatch.NewResumeWatcher()
	jobs := []struct {
		spec, name string
		run        func(context.Context) error
	}{
		{"*/10 * * * * *", "flush-station-token-use", a.Accounts.FlushTokenUse},
		{"0 17 * * * *", "sweep-tokens", func(ctx context.Context) error { _, err := a.Accounts.SweepExpired(ctx); return err }},
		{"0 5 0 * * *", "seed-campaigns", a.Accounts.SeedCommunes},
		{"0 3 * * * *", "sweep-scan-visits", func(ctx context.Context) error { _, err := a.Media.SweepScans(ctx); return err }},
		{"0 41 * * * *", "sweep-plan-files", func(ctx context.Context) error { _, err := a.PlanFiles.Sweep(ctx); return err }},
		{"15 */15 * * * *", "repair-reach-rollups", func(ctx context.Context) error { _, err := a.Reach.Repair(ctx); return err }},
		{"0 7 * * * *", "poll-reach-recent", a.Poller.PollRecent},
		{"0 37 3 * * *", "poll-reach-older", a.Poller.PollOlder},
		{"*/10 * * * * *", "apply-channel-resumes", watcher.Sync},
		{"*/5 * * * * *", "tts-jobs", func(ctx context.Context) error {
			_, err := a.Audio.RunDue(ctx)
			if errors.Is(err, context.Canceled) { // the replica stops; the job goes back as it was
				return nil
			}
			return err
		}},
		{"0 23 4 * * *", "sweep-tts", func(ctx context.Context) error { _, err := a.Audio.Sweep(ctx); return err }},
		{"0 1 * * * *", "report-deadline-notice", func(ctx context.Context) error {
			ids, err := a.Accounts.CommuneIDs(ctx)
			if err != nil {
				return err
			}
			return a.Reach.RefreshNotices(ctx, ids)
		}},
	}
	if a.Pusher != nil {
		at, err := time.Parse("15:04", cfg.LoudspeakerPushAt)
		if err != nil {
			return fmt.Errorf("LOUDSPEAKER_PUSH_AT: %w", err)
		}
		jobs = append(jobs, struct {
			spec, name string
			run        func(context.Context) error
		}{fmt.Sprintf("0 %d %d * * *", at.Minute(), at.Hour()), "push-rundowns", func(ctx context.Context) error {
			_, err := a.Pusher.Push(ctx)
			return err
		}})
	}
	for _, j := range jobs {
		if err := a.Clock.Add(j.spec, j.name, j.run); err != nil {
			return err
		}
	}
	return a.Dispatch.Schedule(a.Clock)
}
