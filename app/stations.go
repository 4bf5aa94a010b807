package app

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/rundown"
)

// scheduleStations puts the station devices' work on the clock: their
// token use written every ten seconds and, when LOUDSPEAKER_WEBHOOK_URL is
// set, the daily push of every station's next-day rundown at
// LOUDSPEAKER_PUSH_AT.
func (a *App) scheduleStations(db *mongo.Database, cfg *config.Config) error {
	if err := a.Clock.Add("*/10 * * * * *", "flush-station-token-use", a.Accounts.FlushTokenUse); err != nil {
		return err
	}
	if cfg.LoudspeakerWebhookURL == "" {
		return nil
	}
	at, err := time.Parse("15:04", cfg.LoudspeakerPushAt)
	if err != nil {
		return fmt.Errorf("LOUDSPEAKER_PUSH_AT: %w", err)
	}
	a.Pusher = rundown.NewPusher(a.Rundowns, db, a.communeIDs,
		rundown.PushOptions{URL: cfg.LoudspeakerWebhookURL, Secret: cfg.LoudspeakerWebhookSecret})
	return a.Clock.Add(fmt.Sprintf("0 %d %d * * *", at.Minute(), at.Hour()), "push-rundowns", func(ctx context.Context) error {
		_, err := a.Pusher.Push(ctx)
		return err
	})
}

// communeIDs lists the ids of every commune of the installation.
func (a *App) communeIDs(ctx context.Context) ([]string, error) {
	list, err := a.Accounts.ListCommunes(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return ids, nil
}
