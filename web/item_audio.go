package web

import (
	"errors"
	"math"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/scriptaudio"
)

// The sound of loudspeaker scripts on the pages (SPEC §6.3): the script
// editor's recorder, upload and "read aloud" (audio.js, through the API's
// /api/v1/items/:id/audio routes), and a player that loads nothing until
// pressed on the item page, the approval view and the operator's rundown.

// audioPanel is the item page's sound of a script.
type audioPanel struct {
	// Audio is the script's sound, nil when it has none.
	Audio *soundView
	// EstimateSeconds and Estimate are the reading time of the saved text.
	EstimateSeconds int
	Estimate        string
	// Edit: the caller may record, upload and remove; the URLs are the
	// API's (with the commune kept), for audio.js.
	Edit                bool
	AudioURL, TTSURL    string
	Synth               bool // a text-to-speech provider is configured
	TTS                 *scriptaudio.TTSStatus
	TTSFailKey          string // why the last synthesis failed (catalogue key)
	Unavailable         bool   // ffmpeg is missing: the panel says so
	ReadTpl             readTpl
	ApprovedBack        bool // an approved script: a new sound sends it back
	SourceKey, VoiceTag string
}

// soundView is a sound as the pages play it.
type soundView struct {
	URL     string
	Seconds float64
	Length  string
	// Stale: the script's text changed after the sound was made.
	Stale bool
	// Differs: its length and the reading time differ by more than half.
	Differs bool
}

// soundOf is the player of a script's sound, nil when it has none. The
// address is relative (same origin as the page, so the session cookie
// goes with it) and keeps the page's commune.
func soundOf(v *view, it campaigns.Item, wpm int) *soundView {
	au := it.Audio
	if au == nil {
		return nil
	}
	est := rundown.ReadSeconds(rundown.Words(it.Body), wpm)
	sec := int(math.Round(au.DurationSeconds))
	return &soundView{URL: v.Link("/media/audio/" + url.PathEscape(au.ID) + ".mp3"), Seconds: au.DurationSeconds,
		Length: v.duration(sec), Stale: !au.Matches(it.Body), Differs: lengthsDiffer(au.DurationSeconds, est)}
}

// lengthsDiffer reports whether a recording of rec seconds and a reading
// time of est seconds differ by more than half the reading time: a part
// of the text left out, or another text read (audio.js says the same).
func lengthsDiffer(rec float64, est int) bool {
	return est > 0 && math.Abs(rec-float64(est)) > float64(est)/2
}

// itemAudio fills the item page's sound of an existing script.
func (s *Server) itemAudio(c *gin.Context, v *view, d *itemData) error {
	it := d.Item
	if it == nil || it.Kind != campaigns.KindScript || s.Audio == nil {
		return nil
	}
	p := &audioPanel{Audio: soundOf(v, *it, s.ReadWPM), EstimateSeconds: rundown.ReadSeconds(rundown.Words(it.Body), s.ReadWPM),
		ReadTpl:      d.ReadTpl,
		ApprovedBack: it.Status == campaigns.StatusApproved || it.Status == campaigns.StatusSubmitted}
	p.Estimate = v.duration(p.EstimateSeconds)
	if au := it.Audio; au != nil {
		p.SourceKey, p.VoiceTag = "au.source."+au.Source, au.Voice
	}
	if d.Editable {
		esc := url.PathEscape(it.ID)
		p.Edit, p.Unavailable = true, s.Audio.Err() != nil
		p.AudioURL = v.Link("/api/v1/items/" + esc + "/audio")
		if s.Audio.Provider() != "" {
			p.Synth, p.TTSURL = true, v.Link("/api/v1/items/"+esc+"/audio/tts")
		}
		st, err := s.Audio.Status(c, it.ID)
		switch {
		case err == nil:
			p.TTS = &st
			if st.State == scriptaudio.JobFailed {
				p.TTSFailKey = "au.fail." + st.ErrorKind
			}
		case !errors.Is(err, apperr.ErrNotFound):
			return err
		}
	}
	d.Sound = p
	return nil
}

// soundPath is the path of an absolute sound address (rundown.Audio.URL
// starts with LANTOA_BASE_URL, which a page may not be served under).
func soundPath(abs string) string {
	if u, err := url.Parse(abs); err == nil && u.Path != "" {
		return u.Path
	}
	return abs
}
