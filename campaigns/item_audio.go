package campaigns

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lantoa/lantoa/apperr"
)

// Sources of a script's audio (SPEC §6.3).
const (
	AudioUpload    = "upload"    // a file the editor had
	AudioRecording = "recording" // recorded in the browser
	AudioTTS       = "tts"       // synthesised from the text
)

// ItemAudio is the broadcast sound of a script: a normalised MP3 kept by
// the media domain (content-addressed: ID names exactly these bytes).
type ItemAudio struct {
	ID              string  `bson:"id" json:"id"`
	SHA256          string  `bson:"sha256" json:"sha256"`
	DurationSeconds float64 `bson:"duration_seconds" json:"duration_seconds"`
	LoudnessLUFS    float64 `bson:"loudness_lufs" json:"loudness_lufs"`
	// Source is AudioUpload, AudioRecording or AudioTTS; Voice the
	// provider and voice of a synthesis ("fpt/banmai").
	Source string `bson:"source" json:"source"`
	Voice  string `bson:"voice,omitempty" json:"voice,omitempty"`
	// TextSHA256 is BodyHash of the script's text when the audio was
	// attached: a later edit of the text leaves the audio, and the pages
	// say that it was made for an earlier text.
	TextSHA256 string    `bson:"text_sha256" json:"text_sha256"`
	By         string    `bson:"by" json:"by"`
	At         time.Time `bson:"at" json:"at"`
}

// Matches reports whether the audio was made for the script's current text.
func (a ItemAudio) Matches(body string) bool { return a.TextSHA256 == BodyHash(body) }

// AudioChange is an ItemInput's change of audio: Set replaces it, a nil Set
// removes it.
type AudioChange struct{ Set *ItemAudio }

// BodyHash is the hex SHA-256 of a script's text as stored.
func BodyHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// SetAudio gives script id the audio au (nil removes it) through
// UpdateItem's path, since sound is part of what the manager approves: a
// submitted or approved script goes back to draft, a new version, its
// pending deliveries cancelled. Setting the audio it already has, or
// removing none, changes nothing. Only scripts carry audio (else a
// *apperr.ValidationError on "audio").
func (s *Service) SetAudio(ctx context.Context, a Actor, id string, au *ItemAudio) (Item, error) {
	for attempt := 0; ; attempt++ {
		it, err := s.GetItem(ctx, id)
		if err != nil {
			return Item{}, err
		}
		if it.Kind != KindScript {
			return Item{}, apperr.Invalid("audio", "only loudspeaker scripts carry audio")
		}
		if (au == nil && it.Audio == nil) || (au != nil && it.Audio != nil && au.ID == it.Audio.ID && it.Audio.Matches(it.Body)) {
			return it, nil
		}
		it, err = s.UpdateItem(ctx, a, id, ItemInput{Audio: &AudioChange{Set: au}})
		// A concurrent edit of the text is no reason to lose the sound:
		// it is set again on the new version.
		if !errors.Is(err, apperr.ErrConflict) || attempt == 2 {
			return it, err
		}
	}
}

// applyAudio copies an audio change into the item being updated.
func applyAudio(it *Item, c *AudioChange) error {
	if c == nil {
		return nil
	}
	if it.Kind != KindScript {
		return apperr.Invalid("audio", "only loudspeaker scripts carry audio")
	}
	if c.Set == nil {
		it.Audio = nil
		return nil
	}
	au := *c.Set
	au.TextSHA256 = BodyHash(it.Body)
	it.Audio = &au
	return nil
}

// recordEdit writes the audit entry of an UpdateItem: an edit of the
// content, or a change of the audio (which the history names as such).
func (s *Service) recordEdit(ctx context.Context, a Actor, it Item, audio *AudioChange, detail string) {
	switch {
	case audio == nil:
		s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.update", ItemID: it.ID, CampaignID: it.CampaignID, Detail: detail})
	case audio.Set == nil:
		s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.audio.remove", ItemID: it.ID, CampaignID: it.CampaignID, Detail: detail})
	default:
		au := audio.Set
		what := fmt.Sprintf("%s %s, %.0f s", au.Source, au.ID, au.DurationSeconds)
		if au.Voice != "" {
			what += ", " + au.Voice
		}
		s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.audio.set", ItemID: it.ID, CampaignID: it.CampaignID,
			Detail: what + " — " + detail})
	}
}
