package scriptaudio

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/vitext"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// States of a synthesis job.
const (
	JobQueued  = "queued"  // waiting for a replica (again, after a transient failure)
	JobRunning = "running" // a replica synthesises it now (until its lease ends)
	JobWaiting = "waiting" // submitted to Vbee: its callback, or a later fetch, ends it
	JobDone    = "done"    // the sound is on the script
	JobFailed  = "failed"  // given up; Error says why
)

// Why a job failed, for the pages' words (ErrorKind).
const (
	FailCredentials = "credentials"   // the provider refused the key
	FailQuota       = "quota"         // the account's characters are used up
	FailTooLong     = "text_too_long" // the provider refused the text's length
	FailRefused     = "refused"       // the provider refused the request
	FailTransient   = "unavailable"   // the provider kept failing; retries ran out
	FailTextChanged = "text_changed"  // the text was edited before the sound came
	FailAudio       = "audio"         // the provider's sound could not be used
	FailConfig      = "not_configured"
)

// maxAttempts bounds the tries of one job (each a claim).
const maxAttempts = 6

// job is one script's synthesis, _id = the item id. Gen grows with every
// request for the script; Seq with every change of the document, so each
// change is a conditional update on {_id, gen, seq} (atomic on the one
// connection the embedded store is used through, and on MongoDB).
type job struct {
	ID          string    `bson:"_id"`
	CommuneID   string    `bson:"commune_id"`
	Gen         int       `bson:"gen"`
	Seq         int       `bson:"seq"`
	State       string    `bson:"state"`
	Provider    string    `bson:"provider"`
	Voice       string    `bson:"voice"`
	Speed       float64   `bson:"speed"`
	TextSHA256  string    `bson:"text_sha256"`
	ByID        string    `bson:"by_id"`
	By          string    `bson:"by"`
	RequestedAt time.Time `bson:"requested_at"`
	Attempts    int       `bson:"attempts"`
	NextAt      time.Time `bson:"next_at"`
	LeaseUntil  time.Time `bson:"lease_until"`
	// RequestID is Vbee's id of the submitted synthesis.
	RequestID string     `bson:"request_id,omitempty"`
	Error     string     `bson:"error,omitempty"`
	ErrorKind string     `bson:"error_kind,omitempty"`
	AudioID   string     `bson:"audio_id,omitempty"`
	DoneAt    *time.Time `bson:"done_at,omitempty"`
}

// TTSStatus is what the editor sees of a script's last synthesis.
type TTSStatus struct {
	State       string     `json:"state"`
	Provider    string     `json:"provider"`
	Voice       string     `json:"voice"`
	Speed       float64    `json:"speed"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	Attempts    int        `json:"attempts"`
	NextAt      *time.Time `json:"next_at,omitempty"`
	Error       string     `json:"error,omitempty"`
	ErrorKind   string     `json:"error_kind,omitempty"`
	AudioID     string     `json:"audio_id,omitempty"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
}

// Pending reports whether the synthesis has not ended yet.
func (t TTSStatus) Pending() bool { return t.State != JobDone && t.State != JobFailed }

func (j job) status() TTSStatus {
	st := TTSStatus{State: j.State, Provider: j.Provider, Voice: j.Voice, Speed: j.Speed, RequestedBy: j.By,
		RequestedAt: j.RequestedAt, Attempts: j.Attempts, Error: j.Error, ErrorKind: j.ErrorKind, AudioID: j.AudioID, DoneAt: j.DoneAt}
	if j.State == JobQueued || j.State == JobWaiting {
		at := j.NextAt
		st.NextAt = &at
	}
	return st
}

// Provider is the configured provider's name ("" for none).
func (s *Service) Provider() string {
	if s.d.TTS == nil {
		return ""
	}
	return s.d.TTS.Name()
}

// Voices are the voices the editor may choose, the provider's default first.
func (s *Service) Voices() []string {
	switch s.Provider() {
	case "fpt":
		return slices.Clone(audio.FPTVoices)
	case "espeak":
		return slices.Clone(audio.EspeakVoices)
	case "vbee":
		return []string{audio.DefaultVbeeVoice}
	}
	return nil
}

// TTSReady is nil when a provider is configured and usable, else an error
// wrapping audio.ErrNotConfigured (API: 409 tts_not_configured) or, without
// ffmpeg, audio.ErrUnavailable.
func (s *Service) TTSReady() error {
	if s.d.TTS == nil {
		return &audio.TTSError{Class: audio.ErrNotConfigured, Message: "TTS_PROVIDER is not set"}
	}
	if e, ok := s.d.TTS.(interface{ Err() error }); ok && e.Err() != nil {
		return e.Err()
	}
	return s.Err()
}

// RequestTTS asks for script itemID (of the caller's commune) to be read
// aloud from its saved text, by a at opt's voice and speed, and returns the
// queued job: a replica's clock job runs it (RunDue), and the sound appears
// on the script when the provider returns it. A new request replaces one
// still pending. Errors: TTSReady's, a *apperr.ValidationError for a bad
// voice or speed or an empty text, apperr.ErrNotFound, apperr.ErrConflict
// for an item that is not a script.
func (s *Service) RequestTTS(ctx context.Context, a campaigns.Actor, itemID string, opt audio.Options) (TTSStatus, error) {
	if err := s.TTSReady(); err != nil {
		return TTSStatus{}, err
	}
	if err := s.checkOptions(&opt); err != nil {
		return TTSStatus{}, err
	}
	it, err := s.script(ctx, itemID)
	if err != nil {
		return TTSStatus{}, err
	}
	if strings.TrimSpace(vitext.Speakable(it.Body)) == "" {
		return TTSStatus{}, apperr.Invalid("body", "there is no text to read aloud")
	}
	var prev job
	if err := store.FindByID(ctx, s.jobs, itemID, &prev); err != nil && !store.IsNoDocuments(err) {
		return TTSStatus{}, fmt.Errorf("reading the synthesis job: %w", err)
	}
	now := s.d.Now().UTC()
	j := job{ID: itemID, CommuneID: it.CommuneID, Gen: prev.Gen + 1, Seq: prev.Seq + 1, State: JobQueued,
		Provider: s.Provider(), Voice: opt.Voice, Speed: opt.Speed, TextSHA256: campaigns.BodyHash(it.Body),
		ByID: a.UserID, By: a.Username, RequestedAt: now, NextAt: now}
	if _, err := s.jobs.ReplaceOne(ctx, bson.M{"_id": itemID}, j, replaceUpsert); err != nil {
		return TTSStatus{}, fmt.Errorf("queueing the synthesis: %w", err)
	}
	return j.status(), nil
}

// checkOptions fills the defaults in and refuses what the provider would.
func (s *Service) checkOptions(opt *audio.Options) error {
	if opt.Speed == 0 {
		opt.Speed = 1
	}
	if opt.Speed < audio.MinSpeed || opt.Speed > audio.MaxSpeed {
		return apperr.Invalid("speed", "between %.1f and %.1f", audio.MinSpeed, audio.MaxSpeed)
	}
	voices := s.Voices()
	if opt.Voice == "" {
		opt.Voice = voices[0]
	}
	if s.Provider() == "vbee" {
		if !vbeeVoice(opt.Voice) {
			return apperr.Invalid("voice", "a Vbee voice code such as %s", audio.DefaultVbeeVoice)
		}
		return nil
	}
	if !slices.Contains(voices, opt.Voice) {
		return apperr.Invalid("voice", "one of %s", strings.Join(voices, ", "))
	}
	return nil
}

// vbeeVoice is Vbee's voice code shape (lower-case letters, digits, _ . -).
func vbeeVoice(v string) bool {
	if v == "" || len(v) > 80 {
		return false
	}
	return !strings.ContainsFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-')
	})
}

// Status returns script itemID's last synthesis (of the caller's commune),
// or apperr.ErrNotFound when none was asked for (or a person's sound
// replaced it since).
func (s *Service) Status(ctx context.Context, itemID string) (TTSStatus, error) {
	var j job
	err := store.FindByID(ctx, s.jobs, itemID, &j)
	if store.IsNoDocuments(err) {
		return TTSStatus{}, apperr.NotFound("synthesis")
	}
	if err != nil {
		return TTSStatus{}, fmt.Errorf("reading the synthesis job: %w", err)
	}
	return j.status(), nil
}

// dropJob forgets script itemID's synthesis: a person's sound (or its
// removal) is the latest word, and a synthesis still running finds its job
// gone and keeps its sound to itself.
func (s *Service) dropJob(ctx context.Context, itemID string) {
	f, err := store.Scoped(ctx, bson.M{"_id": itemID})
	if err != nil {
		return
	}
	if _, err := s.jobs.DeleteOne(ctx, f); err != nil {
		s.d.Log.Warn("dropping a synthesis job", "item", itemID, "err", err)
	}
}

// failure is how a job's error is kept: its kind and a message safe to
// show (providers' messages never carry a credential).
func failure(err error) (kind, msg string) {
	var ve *apperr.ValidationError
	switch {
	case errors.Is(err, audio.ErrCredentials):
		kind = FailCredentials
	case errors.Is(err, audio.ErrQuota):
		kind = FailQuota
	case errors.Is(err, audio.ErrTextTooLong):
		kind = FailTooLong
	case errors.Is(err, audio.ErrNotConfigured):
		kind = FailConfig
	case errors.Is(err, audio.ErrTransient), errors.Is(err, context.DeadlineExceeded):
		kind = FailTransient
	case errors.Is(err, errTextChanged):
		kind = FailTextChanged
	case errors.Is(err, audio.ErrSilent), errors.Is(err, audio.ErrCorrupt), errors.Is(err, audio.ErrUnsupported),
		errors.Is(err, audio.ErrTooLong), errors.Is(err, audio.ErrTooLarge), errors.Is(err, audio.ErrUnavailable):
		kind = FailAudio
	case errors.As(err, &ve):
		kind = FailRefused
	default:
		kind = FailRefused
	}
	msg = err.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return kind, strings.ToValidUTF8(msg, "")
}

// errTextChanged: the script's text changed after the synthesis was asked
// for; its sound would not read what the script says.
var errTextChanged = errors.New("the script's text changed after the reading was asked for; ask again")

// backoff is the wait before attempt n+1 after a transient failure: 30 s,
// 2 min, 8 min, 32 min, then hourly.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for range max(0, attempts-1) {
		d *= 4
		if d >= time.Hour {
			return time.Hour
		}
	}
	return d
}
