package scriptaudio

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/vitext"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

var replaceUpsert = options.Replace().SetUpsert(true)

// RunDue runs every synthesis that is due, one after the other: queued ones
// whose time has come, Vbee submissions whose callback is late (fetched
// instead), and running ones whose replica's lease ran out (it died). Each
// is claimed first with a conditional update, so of several replicas one
// runs it. It returns how many it ran; the clock calls it every few
// seconds (a job still running when the next tick comes is not started
// twice: the clock skips the tick).
func (s *Service) RunDue(ctx context.Context) (int, error) {
	if s.d.TTS == nil {
		return 0, nil
	}
	ran := 0
	for ctx.Err() == nil {
		j, ok, err := s.claimNext(ctx)
		if err != nil || !ok {
			return ran, err
		}
		s.run(ctx, j)
		ran++
	}
	return ran, ctx.Err()
}

// claimNext claims the first due job, if any.
func (s *Service) claimNext(ctx context.Context) (job, bool, error) {
	cur, err := s.jobs.Find(ctx, bson.M{"state": bson.M{"$in": []string{JobQueued, JobRunning, JobWaiting}}})
	if err != nil {
		return job{}, false, fmt.Errorf("listing synthesis jobs: %w", err)
	}
	var list []job
	if err := cur.All(ctx, &list); err != nil {
		return job{}, false, fmt.Errorf("listing synthesis jobs: %w", err)
	}
	now := s.d.Now()
	for _, j := range list {
		due := (j.State == JobRunning && !j.LeaseUntil.After(now)) || (j.State != JobRunning && !j.NextAt.After(now))
		if !due {
			continue
		}
		if c, ok, err := s.claim(ctx, j); err != nil || ok {
			return c, ok, err
		}
	}
	return job{}, false, nil
}

// claim takes j for this replica for one lease; false when another
// replica (or a new request) changed it first.
func (s *Service) claim(ctx context.Context, j job) (job, bool, error) {
	now := s.d.Now().UTC()
	c := j
	c.State, c.Seq, c.LeaseUntil = JobRunning, j.Seq+1, now.Add(s.d.Lease)
	if j.State != JobWaiting { // a fetch of Vbee's finished sound is not a new try
		c.Attempts++
	}
	if ok, err := s.update(ctx, j, c); err != nil || !ok {
		return job{}, false, err
	}
	return c, true, nil
}

// update replaces job from by to, if nobody changed it since from was read.
func (s *Service) update(ctx context.Context, from, to job) (bool, error) {
	res, err := s.jobs.ReplaceOne(ctx, bson.M{"_id": from.ID, "gen": from.Gen, "seq": from.Seq}, to)
	if err != nil {
		return false, fmt.Errorf("updating synthesis job %s: %w", from.ID, err)
	}
	return res.MatchedCount == 1, nil
}

// run does one claimed job: synthesise (or, for Vbee, submit or fetch) and
// finish, and records how it ended.
func (s *Service) run(ctx context.Context, j job) {
	ctx = store.WithScope(ctx, store.Scope{CommuneID: j.CommuneID})
	// A synthesis ends before the lease does, so that no other replica
	// takes it over while it still runs.
	rctx, cancel := context.WithTimeout(ctx, s.d.Lease-s.d.Lease/10)
	defer cancel()
	if s.d.Vbee != nil {
		s.runVbee(ctx, rctx, j)
		return
	}
	it, err := s.d.Items.GetItem(ctx, j.ID)
	if err == nil && campaigns.BodyHash(it.Body) != j.TextSHA256 {
		err = errTextChanged
	}
	var raw []byte
	if err == nil {
		raw, err = s.d.TTS.Synthesize(rctx, vitext.Speakable(it.Body), audio.Options{Voice: j.Voice, Speed: j.Speed})
	}
	if err == nil {
		err = s.finish(ctx, j, raw)
	}
	s.ended(ctx, j, err)
}

// runVbee submits the text to Vbee (its callback, or a later run, brings
// the sound), or fetches what Vbee finished when the callback is late.
func (s *Service) runVbee(ctx, rctx context.Context, j job) {
	if j.RequestID != "" {
		raw, err := s.d.Vbee.Fetch(rctx, j.RequestID)
		if errors.Is(err, audio.ErrPending) {
			s.wait(ctx, j, j.RequestID)
			return
		}
		if err == nil {
			err = s.finish(ctx, j, raw)
		}
		s.ended(ctx, j, err)
		return
	}
	it, err := s.d.Items.GetItem(ctx, j.ID)
	if err == nil && campaigns.BodyHash(it.Body) != j.TextSHA256 {
		err = errTextChanged
	}
	var id string
	if err == nil {
		id, err = s.d.Vbee.Submit(rctx, vitext.Speakable(it.Body), audio.Options{Voice: j.Voice, Speed: j.Speed})
	}
	if err != nil {
		s.ended(ctx, j, err)
		return
	}
	s.wait(ctx, j, id)
}

// vbeeWait is how long a submitted synthesis waits for Vbee's callback
// before it is fetched (and again between fetches while Vbee works).
const vbeeWait = 30 * time.Second

// wait leaves j waiting for Vbee's callback on request id.
func (s *Service) wait(ctx context.Context, j job, id string) {
	w := j
	w.State, w.Seq, w.RequestID, w.NextAt = JobWaiting, j.Seq+1, id, s.d.Now().UTC().Add(vbeeWait)
	if _, err := s.update(context.WithoutCancel(ctx), j, w); err != nil {
		s.d.Log.Error("recording a Vbee submission", "item", j.ID, "err", err)
	}
}

// finish normalises the provider's sound and sets it on the script as the
// one who asked for it, unless the job was replaced or dropped meanwhile or
// the text changed.
func (s *Service) finish(ctx context.Context, j job, raw []byte) error {
	res, err := s.normalize(ctx, raw)
	if err != nil {
		return err
	}
	var now job
	if err := store.FindByID(ctx, s.jobs, j.ID, &now); err != nil || now.Gen != j.Gen {
		return errSuperseded
	}
	it, err := s.d.Items.GetItem(ctx, j.ID)
	if err != nil {
		return err
	}
	if campaigns.BodyHash(it.Body) != j.TextSHA256 {
		return errTextChanged
	}
	_, err = s.attach(ctx, campaigns.Actor{UserID: j.ByID, Username: j.By}, j.ID, res, campaigns.AudioTTS, j.Provider+"/"+j.Voice)
	return err
}

// errSuperseded: a newer request, or a person's sound, replaced the job.
var errSuperseded = errors.New("the synthesis was replaced")

// ended records the outcome of a run: done, back in the queue after a
// transient failure (with backoff, while attempts remain), or failed.
func (s *Service) ended(ctx context.Context, j job, err error) {
	wctx := context.WithoutCancel(ctx)
	now := s.d.Now().UTC()
	e := j
	e.Seq = j.Seq + 1
	var ve *apperr.ValidationError
	switch {
	case errors.Is(err, errSuperseded):
		return
	case err == nil:
		e.State, e.DoneAt, e.Error, e.ErrorKind = JobDone, &now, "", ""
		if it, gerr := s.d.Items.GetItem(ctx, j.ID); gerr == nil && it.Audio != nil {
			e.AudioID = it.Audio.ID
		}
	case ctx.Err() != nil:
		// The replica stops: the job goes back as it was, this try uncounted.
		e.State, e.NextAt = JobQueued, now
		if j.RequestID != "" {
			e.State = JobWaiting
		}
		e.Attempts = max(0, j.Attempts-1)
	case (errors.Is(err, audio.ErrTransient) || errors.Is(err, context.DeadlineExceeded)) && j.Attempts < maxAttempts && !errors.As(err, &ve):
		e.State, e.NextAt = JobQueued, now.Add(backoff(j.Attempts))
		if j.RequestID != "" {
			e.State = JobWaiting
		}
		e.ErrorKind, e.Error = failure(err)
		s.d.Log.Warn("synthesis failed for now; retrying", "item", j.ID, "attempt", j.Attempts, "next", e.NextAt, "err", err)
	default:
		e.State = JobFailed
		e.ErrorKind, e.Error = failure(err)
		s.d.Log.Warn("synthesis failed", "item", j.ID, "attempts", j.Attempts, "err", err)
	}
	if _, uerr := s.update(wctx, j, e); uerr != nil {
		s.d.Log.Error("recording a synthesis outcome", "item", j.ID, "err", uerr)
	}
}
