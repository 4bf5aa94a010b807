package rundown

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/webhook"
	"github.com/lantoa/lantoa/store"
)

// There is no public, vendor-neutral API for IP loudspeaker systems (each
// vendor has its own), so the push adapter posts each station's next-day
// rundown as signed JSON to one configured URL, and a small adapter on the
// vendor's side turns it into that vendor's schedule.

// PushEvent names the push message's kind.
const PushEvent = "loudspeaker.rundown"

// PushMessage is the body of one push: a station's rundown for a day, signed
// like the portal webhook (X-LanToa-Signature: sha256=<hex HMAC-SHA256 of
// the body>). ID is the same for every push of that station and day:
// receivers de-duplicate on it.
type PushMessage struct {
	Event       string    `json:"event"`
	ID          string    `json:"id"`
	CommuneID   string    `json:"commune_id"`
	GeneratedAt time.Time `json:"generated_at"`
	Rundown     Rundown   `json:"rundown"`
}

// PushOptions configure the push adapter.
type PushOptions struct {
	URL    string
	Secret string
	// Attempts per station before giving up (default 4).
	Attempts int
	// Backoff is the first wait between attempts, doubled each time
	// (default 5 s); a receiver's Retry-After wins, up to a minute.
	Backoff time.Duration
	// Client posts the webhooks (default: webhook.Client's defaults).
	Client *webhook.Client
}

// Pusher posts tomorrow's rundown of every station to the configured URL.
// Each (station, day) is pushed once across replicas: the replica that
// inserts its record in rundown_pushes first does it, and records the
// outcome there.
type Pusher struct {
	svc      *Service
	communes func(context.Context) ([]string, error)
	pushes   *mongo.Collection
	opt      PushOptions
}

// pushRecord is one (station, day) push and its outcome.
type pushRecord struct {
	ID        string    `bson:"_id"`
	CommuneID string    `bson:"commune_id"`
	StationID string    `bson:"station_id"`
	Date      string    `bson:"date"`
	State     string    `bson:"state"` // pushing, sent, failed
	Attempts  int       `bson:"attempts"`
	LastError string    `bson:"last_error"`
	At        time.Time `bson:"at"`
}

// NewPusher returns a pusher of svc's rundowns over db; communes lists the
// ids of every commune of the installation.
func NewPusher(svc *Service, db *mongo.Database, communes func(context.Context) ([]string, error), opt PushOptions) *Pusher {
	if opt.Attempts <= 0 {
		opt.Attempts = 4
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 5 * time.Second
	}
	if opt.Client == nil {
		opt.Client = &webhook.Client{}
	}
	return &Pusher{svc: svc, communes: communes, pushes: db.Collection("rundown_pushes"), opt: opt}
}

// Push posts the next day's rundown of every station of every commune and
// returns how many it sent. Stations pushed already for that day (by this
// or another replica) are skipped; a station that fails after every attempt
// is recorded as failed and named in the error, and the others go on.
func (p *Pusher) Push(ctx context.Context) (int, error) {
	today := p.svc.d.Now().In(p.svc.d.Location)
	day := today.AddDate(0, 0, 1).Format(campaigns.DateLayout)
	old := today.AddDate(0, 0, -30).Format(campaigns.DateLayout)
	if _, err := p.pushes.DeleteMany(ctx, bson.M{"date": bson.M{"$lt": old}}); err != nil {
		return 0, fmt.Errorf("pruning rundown pushes: %w", err)
	}
	communes, err := p.communes(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, commune := range communes {
		cctx := store.WithScope(ctx, store.Scope{CommuneID: commune})
		list, err := p.svc.d.Stations.List(cctx)
		if err != nil {
			return sent, err
		}
		for _, st := range list {
			ok, err := p.pushStation(cctx, commune, st.ID, day)
			if err != nil {
				errs = append(errs, fmt.Errorf("station %s (%s): %w", st.Name, st.ID, err))
			}
			if ok {
				sent++
			}
		}
	}
	return sent, errors.Join(errs...)
}

// pushStation pushes one station's rundown of day unless it was already.
func (p *Pusher) pushStation(ctx context.Context, commune, stationID, day string) (bool, error) {
	rec := pushRecord{ID: commune + "|" + stationID + "|" + day, CommuneID: commune, StationID: stationID, Date: day,
		State: "pushing", At: p.svc.d.Now().UTC()}
	if _, err := p.pushes.InsertOne(ctx, rec); err != nil {
		if store.IsDuplicateKey(err) {
			return false, nil // pushed, or being pushed, by another replica
		}
		return false, fmt.Errorf("recording rundown push: %w", err)
	}
	attempts, err := p.send(ctx, commune, stationID, day, rec.ID)
	set := bson.M{"state": "sent", "attempts": attempts, "last_error": "", "at": p.svc.d.Now().UTC()}
	if err != nil {
		set["state"], set["last_error"] = "failed", err.Error()
	}
	if _, uerr := p.pushes.UpdateOne(context.WithoutCancel(ctx), bson.M{"_id": rec.ID}, bson.M{"$set": set}); uerr != nil {
		p.svc.d.Log.Error("recording rundown push outcome", "push", rec.ID, "err", uerr)
	}
	return err == nil, err
}

// send builds the message and posts it, retrying transient failures with
// exponential backoff; it returns the attempts made.
func (p *Pusher) send(ctx context.Context, commune, stationID, day, id string) (int, error) {
	view, err := p.svc.Get(ctx, stationID, day)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	msg := PushMessage{Event: PushEvent, ID: id, CommuneID: commune, GeneratedAt: p.svc.d.Now().UTC(), Rundown: view.Rundown}
	if err := json.NewEncoder(&buf).Encode(msg); err != nil {
		return 0, err
	}
	wait := p.opt.Backoff
	for attempt := 1; ; attempt++ {
		err = p.opt.Client.Post(ctx, p.opt.URL, p.opt.Secret, buf.Bytes())
		if err == nil {
			return attempt, nil
		}
		class, after := publishers.Classify(err)
		if attempt >= p.opt.Attempts || class == publishers.Permanent || class == publishers.AuthInvalid || class == publishers.Blocked {
			return attempt, err
		}
		if after > 0 {
			wait = min(after, time.Minute)
		}
		p.svc.d.Log.Warn("rundown push failed; retrying", "push", id, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return attempt, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}
