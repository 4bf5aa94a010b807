package scriptaudio

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/store"
)

// CallbackPath is where Vbee calls back (under LANTOA_BASE_URL).
const CallbackPath = "/api/v1/tts/vbee/callback"

// VbeeCallback takes Vbee's callback of a finished synthesis: verified and
// fetched by audio.Vbee.HandleCallback (the request id under the signature
// Submit put in the URL; the sound from Vbee's own record of it; a second
// callback for the same request refused with audio.ErrReplayed), then
// finished like any job. Errors: apperr.ErrNotFound when Vbee is not the
// provider, audio.ErrUnverified, audio.ErrReplayed, audio.ErrTransient
// (Vbee could not be asked: it may call again). A callback for a request no
// job waits for any more (replaced by a newer one) is accepted and dropped.
func (s *Service) VbeeCallback(ctx context.Context, target *url.URL, body []byte) error {
	if s.d.Vbee == nil {
		return apperr.NotFound("callback")
	}
	id, raw, err := s.d.Vbee.HandleCallback(ctx, target, body)
	if err != nil && (id == "" || errors.Is(err, audio.ErrReplayed)) {
		return err
	}
	j, ok, ferr := s.waitingFor(ctx, id)
	if ferr != nil || !ok {
		return ferr
	}
	c, ok, cerr := s.claim(ctx, j)
	if cerr != nil || !ok {
		return cerr // a fetch by the clock has it: it ends it
	}
	jctx := store.WithScope(context.WithoutCancel(ctx), store.Scope{CommuneID: c.CommuneID})
	if err == nil { // else Vbee refused the text (FAILURE): the job fails with why
		err = s.finish(jctx, c, raw)
	}
	s.ended(jctx, c, err)
	return nil
}

// waitingFor finds the job waiting for Vbee request id (a scan of the small
// jobs collection: one document per script ever synthesised, kept a month).
func (s *Service) waitingFor(ctx context.Context, id string) (job, bool, error) {
	var j job
	err := s.jobs.FindOne(ctx, bson.M{"request_id": id, "state": JobWaiting}).Decode(&j)
	if store.IsNoDocuments(err) {
		s.d.Log.Info("Vbee callback for a synthesis no longer waited for", "request", id)
		return j, false, nil
	}
	if err != nil {
		return j, false, fmt.Errorf("finding the synthesis of Vbee request %s: %w", id, err)
	}
	return j, true, nil
}

// NewGuard returns the replay guard Vbee's callbacks are checked against
// (audio.VbeeConfig.Guard): a unique insert of the key into tts_callbacks,
// so one replica accepts a callback once, across restarts.
func NewGuard(db *mongo.Database, now func() time.Time) audio.ReplayGuard { return newGuard(db, now) }

func newGuard(db *mongo.Database, now func() time.Time) *storeGuard {
	return &storeGuard{c: db.Collection("tts_callbacks"), now: now}
}

// storeGuard is NewGuard's guard.
type storeGuard struct {
	c   *mongo.Collection
	now func() time.Time
}

type guardKey struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

// Claim implements audio.ReplayGuard.
func (g *storeGuard) Claim(ctx context.Context, key string) (bool, error) {
	_, err := g.c.InsertOne(ctx, guardKey{ID: key, At: g.now().UTC()})
	switch {
	case err == nil:
		return true, nil
	case store.IsDuplicateKey(err):
		return false, nil
	}
	return false, fmt.Errorf("recording a callback: %w", err)
}

// Sweep deletes what is no longer needed: finished jobs after 30 days (the
// item page shows the last outcome until then) and accepted callbacks after
// four days (Vbee keeps a synthesis three, and the signature in its
// callback URL expires after as long).
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	now := s.d.Now().UTC()
	res, err := s.jobs.DeleteMany(ctx, bson.M{"state": bson.M{"$in": []string{JobDone, JobFailed}},
		"requested_at": bson.M{"$lt": now.AddDate(0, 0, -30)}})
	if err != nil {
		return 0, fmt.Errorf("sweeping synthesis jobs: %w", err)
	}
	res2, err := s.guard.c.DeleteMany(ctx, bson.M{"at": bson.M{"$lt": now.Add(-96 * time.Hour)}})
	if err != nil {
		return res.DeletedCount, fmt.Errorf("sweeping Vbee callbacks: %w", err)
	}
	return res.DeletedCount + res2.DeletedCount, nil
}

// Archive declares the collections of the sound of scripts, for `lantoa
// import`.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "tts_jobs", Check: store.Decodes(func(j *job) error {
			if err := store.NonEmpty("commune_id", j.CommuneID); err != nil {
				return err
			}
			return store.OneOf("state", j.State, JobQueued, JobRunning, JobWaiting, JobDone, JobFailed)
		})},
		{Name: "tts_callbacks", Check: store.Decodes(func(g *guardKey) error { return store.NonEmpty("_id", g.ID) })},
	}
}
