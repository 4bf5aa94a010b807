package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/scriptaudio"
)

// audioBodyLimit bounds an audio upload request: the largest accepted file
// plus room for the multipart framing and the source field.
const audioBodyLimit = audio.MaxBytes + 64<<10

// audioAnswer is what the audio routes answer (SPEC §6.3), with the item's
// new version and status: the sound is part of what is approved, so
// setting it makes a new version (a form open on the page takes it up).
type audioAnswer struct {
	ID              string  `json:"id"`
	URL             string  `json:"url"`
	DurationSeconds float64 `json:"duration_seconds"`
	LoudnessLUFS    float64 `json:"loudness_lufs"`
	SHA256          string  `json:"sha256"`
	Format          string  `json:"format"`
	Source          string  `json:"source,omitempty"`
	Voice           string  `json:"voice,omitempty"`
	// MatchesText is false when the script's text changed after the sound
	// was made.
	MatchesText bool `json:"matches_text"`
}

func (s *Server) audioOf(it campaigns.Item) *audioAnswer {
	au := it.Audio
	if au == nil {
		return nil
	}
	return &audioAnswer{ID: au.ID, URL: s.Audio.URL(au.ID), DurationSeconds: au.DurationSeconds, LoudnessLUFS: au.LoudnessLUFS,
		SHA256: au.SHA256, Format: "mp3", Source: au.Source, Voice: au.Voice, MatchesText: au.Matches(it.Body)}
}

// uploadItemAudio sets a script's sound from the multipart field "file"
// (WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC; at most 50 MB and 20 minutes),
// normalised to broadcast loudness: 201 with the sound. An optional field
// "source" before it says "recording" for a recording made in the browser.
// Without ffmpeg: 503 naming the package, before a byte is read.
func (s *Server) uploadItemAudio(c *gin.Context) {
	if err := s.Audio.Err(); err != nil {
		fail(c, s.Log, err)
		return
	}
	if c.Request.ContentLength > audioBodyLimit { // declared too big: refuse before reading a byte
		fail(c, s.Log, audio.ErrTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, audioBodyLimit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		fail(c, s.Log, apperr.Invalid("file", "send the audio as multipart/form-data, in the field file"))
		return
	}
	source := campaigns.AudioUpload
	for {
		part, err := mr.NextPart()
		if err != nil {
			fail(c, s.Log, audioReadError(err))
			return
		}
		switch part.FormName() {
		case "source":
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			if string(b) == campaigns.AudioRecording {
				source = campaigns.AudioRecording
			}
			continue
		case "file":
		default:
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, audio.MaxBytes+1))
		if err != nil {
			fail(c, s.Log, audioReadError(err))
			return
		}
		if len(data) > audio.MaxBytes {
			fail(c, s.Log, audio.ErrTooLarge)
			return
		}
		at, err := s.Audio.Upload(c, actor(c), c.Param("id"), data, source)
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"id": at.Audio.ID, "url": at.URL, "duration_seconds": at.Audio.DurationSeconds,
			"loudness_lufs": at.Audio.LoudnessLUFS, "sha256": at.Audio.SHA256, "format": "mp3", "source": at.Item.Audio.Source,
			"item_version": at.Item.Version, "item_status": at.Item.Status})
		return
	}
}

// audioReadError is uploadReadError for a sound.
func audioReadError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return audio.ErrTooLarge
	case errors.Is(err, io.EOF):
		return apperr.Invalid("file", "is required: send the audio in the multipart field file")
	default:
		return apperr.Invalid("file", "the multipart body is malformed or cut short")
	}
}

// requestItemTTS asks for a script to be read aloud from its saved text:
// 202 with the job; the sound appears on the item when the provider
// returns it. No provider: 409 tts_not_configured.
func (s *Server) requestItemTTS(c *gin.Context) {
	var in struct {
		Voice string  `json:"voice"`
		Speed float64 `json:"speed"`
	}
	if c.Request.ContentLength != 0 {
		if err := decode(c, &in); err != nil {
			fail(c, s.Log, err)
			return
		}
	}
	st, err := s.Audio.RequestTTS(c, actor(c), c.Param("id"), audio.Options{Voice: in.Voice, Speed: in.Speed})
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"tts": st})
}

// deleteItemAudio takes a script's sound off (204); an approved script goes
// back for approval.
func (s *Server) deleteItemAudio(c *gin.Context) {
	if _, err := s.Audio.Remove(c, actor(c), c.Param("id")); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// getItemAudio says what a script sounds like now: its sound (or null) and
// its last synthesis (or null), with the item's version and status. The
// editor's page polls it while a synthesis runs.
func (s *Server) getItemAudio(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	var tts *scriptaudio.TTSStatus
	if st, err := s.Audio.Status(c, it.ID); err == nil {
		tts = &st
	} else if !errors.Is(err, apperr.ErrNotFound) {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"audio": s.audioOf(it), "tts": tts, "item_version": it.Version, "item_status": it.Status})
}
