// Package scriptaudio gives loudspeaker scripts their sound (SPEC §6.3,
// issue 16): an upload or a browser recording is normalised by package
// audio, kept by package media (GridFS, content-addressed) and set on the
// script through campaigns' edit path, so that a change of sound sends an
// approved script back for approval; a synthesis from the script's text
// runs as a job in the store (tts_jobs), claimed by one replica at a time
// and retried with backoff, so it survives restarts and several replicas.
// It also decides who may hear a sound (access.go).
package scriptaudio

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/store"
)

// Items is what the sound of scripts needs of the campaigns domain.
type Items interface {
	GetItem(ctx context.Context, id string) (campaigns.Item, error)
	SetAudio(ctx context.Context, a campaigns.Actor, id string, au *campaigns.ItemAudio) (campaigns.Item, error)
}

// Store keeps the sounds (media.Service).
type Store interface {
	SaveAudio(ctx context.Context, by string, in media.AudioInput) (media.Audio, error)
	FindAudio(ctx context.Context, id string) (media.Audio, error)
	NoteAudioItem(ctx context.Context, id, itemID string) error
	ReadAudio(ctx context.Context, a media.Audio) ([]byte, error)
	AudioURL(id string) string
}

// Deps are what New needs.
type Deps struct {
	DB *mongo.Database
	// Processor normalises every sound; without ffmpeg its Err wraps
	// audio.ErrUnavailable and every call that needs it fails with it.
	Processor *audio.Processor
	// TTS reads scripts aloud; nil when TTS_PROVIDER is empty. Vbee, when
	// the provider is Vbee, is the same value: its jobs submit, then finish
	// in the callback or a later Fetch, never blocking a replica.
	TTS  audio.Synthesizer
	Vbee *audio.Vbee
	// Items gets and sets scripts; Media stores the sounds.
	Items Items
	Media Store
	Now   func() time.Time
	Log   *slog.Logger
	// Lease is how long a replica holds a synthesis before another may
	// take it over (10 minutes by default); a synthesis gets a little less.
	Lease time.Duration
}

// Service attaches, synthesises and serves scripts' sound.
type Service struct {
	d     Deps
	jobs  *mongo.Collection // tts_jobs: one per script, _id = the item id
	guard *storeGuard       // tts_callbacks: Vbee callbacks accepted
	// slots bounds the normalisations in flight on this replica: each
	// runs ffmpeg for seconds of CPU (audio package documentation).
	slots chan struct{}
}

// normaliseSlots is how many sounds a replica normalises at once.
const normaliseSlots = 2

// New returns the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Lease <= 0 {
		d.Lease = 10 * time.Minute
	}
	return &Service{d: d, jobs: d.DB.Collection("tts_jobs"), guard: newGuard(d.DB, d.Now), slots: make(chan struct{}, normaliseSlots)}
}

// Indexes are the collections' indexes (for MongoDB; the embedded store
// scans these small collections).
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "tts_jobs", Model: mongo.IndexModel{Keys: bson.D{{Key: "state", Value: 1}}}},
		{Collection: "tts_jobs", Model: mongo.IndexModel{Keys: bson.D{{Key: "request_id", Value: 1}}}},
		{Collection: "tts_callbacks", Model: mongo.IndexModel{Keys: bson.D{{Key: "at", Value: 1}}}},
	}
}

// Err is nil when ffmpeg is there, else an error wrapping
// audio.ErrUnavailable that names the Debian package.
func (s *Service) Err() error { return s.d.Processor.Err() }

// URL is the address sound id is served at.
func (s *Service) URL(id string) string { return s.d.Media.AudioURL(id) }

// Attached is a sound just set on a script.
type Attached struct {
	Audio media.Audio
	URL   string
	Item  campaigns.Item
}

// Upload normalises data (an uploaded file, or a recording made in the
// browser when source is campaigns.AudioRecording) and sets it on script
// itemID of the caller's commune. Errors: those of audio.Processor.Normalize
// (ErrUnavailable, ErrUnsupported, ErrTooLarge, ErrTooLong, ErrCorrupt,
// ErrSilent), apperr.ErrNotFound, apperr.ErrConflict for an item that is
// not a script.
func (s *Service) Upload(ctx context.Context, a campaigns.Actor, itemID string, data []byte, source string) (Attached, error) {
	if err := s.Err(); err != nil {
		return Attached{}, err
	}
	if source != campaigns.AudioRecording {
		source = campaigns.AudioUpload
	}
	if _, err := s.script(ctx, itemID); err != nil {
		return Attached{}, err
	}
	res, err := s.normalize(ctx, data)
	if err != nil {
		return Attached{}, err
	}
	// A person's sound replaces whatever a synthesis still pending would bring.
	s.dropJob(ctx, itemID)
	return s.attach(ctx, a, itemID, res, source, "")
}

// Remove takes the sound off script itemID (an approved script goes back
// for approval); a script without sound is left as it is.
func (s *Service) Remove(ctx context.Context, a campaigns.Actor, itemID string) (campaigns.Item, error) {
	if _, err := s.script(ctx, itemID); err != nil {
		return campaigns.Item{}, err
	}
	s.dropJob(ctx, itemID)
	return s.d.Items.SetAudio(ctx, a, itemID, nil)
}

// script returns item id of the caller's commune, which must be a script.
func (s *Service) script(ctx context.Context, id string) (campaigns.Item, error) {
	it, err := s.d.Items.GetItem(ctx, id)
	if err != nil {
		return it, err
	}
	if it.Kind != campaigns.KindScript {
		return it, apperr.Conflict("only loudspeaker scripts carry audio")
	}
	return it, nil
}

// normalize runs the processor in one of the replica's slots.
func (s *Service) normalize(ctx context.Context, data []byte) (audio.Result, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return audio.Result{}, ctx.Err()
	}
	defer func() { <-s.slots }()
	return s.d.Processor.Normalize(ctx, data)
}

// attach stores res and sets it on the script, as a.
func (s *Service) attach(ctx context.Context, a campaigns.Actor, itemID string, res audio.Result, source, voice string) (Attached, error) {
	m, err := s.d.Media.SaveAudio(ctx, a.Username, media.AudioInput{MP3: res.MP3, SHA256: res.SHA256,
		DurationSeconds: res.DurationSeconds, LoudnessLUFS: res.LoudnessLUFS, TruePeakDBTP: res.TruePeakDBTP})
	if err != nil {
		return Attached{}, err
	}
	// Noted before the item names it: whoever may hear the item's sound
	// finds the item through the sound.
	if err := s.d.Media.NoteAudioItem(ctx, m.ID, itemID); err != nil {
		return Attached{}, err
	}
	it, err := s.d.Items.SetAudio(ctx, a, itemID, &campaigns.ItemAudio{ID: m.ID, SHA256: m.SHA256,
		DurationSeconds: m.DurationSeconds, LoudnessLUFS: m.LoudnessLUFS, Source: source, Voice: voice,
		By: a.Username, At: s.d.Now().UTC()})
	if err != nil {
		return Attached{}, fmt.Errorf("setting the audio on the script: %w", err)
	}
	return Attached{Audio: m, URL: s.URL(m.ID), Item: it}, nil
}
