package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/audio/audiotest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/scriptaudio"
)

// The helpers of the audio tests; their names start with "audio".

// audioAnswer is what POST /api/v1/items/:id/audio answers.
type audioAnswer struct {
	ID              string  `json:"id"`
	URL             string  `json:"url"`
	DurationSeconds float64 `json:"duration_seconds"`
	LoudnessLUFS    float64 `json:"loudness_lufs"`
	SHA256          string  `json:"sha256"`
	Format          string  `json:"format"`
	Source          string  `json:"source"`
	ItemVersion     int     `json:"item_version"`
	ItemStatus      string  `json:"item_status"`
}

// audioState is what GET /api/v1/items/:id/audio answers.
type audioState struct {
	Audio *struct {
		ID          string  `json:"id"`
		URL         string  `json:"url"`
		SHA256      string  `json:"sha256"`
		Duration    float64 `json:"duration_seconds"`
		Source      string  `json:"source"`
		Voice       string  `json:"voice"`
		MatchesText bool    `json:"matches_text"`
	} `json:"audio"`
	TTS         *scriptaudio.TTSStatus `json:"tts"`
	ItemVersion int                    `json:"item_version"`
	ItemStatus  string                 `json:"item_status"`
}

// audioUpload posts data as the multipart field "file" of item itemID,
// after a "source" field when source is not empty.
func audioUpload(e *apptest.Env, token, itemID string, data []byte, source string) *apptest.Response {
	e.T.Helper()
	var fields []string
	if source != "" {
		fields = []string{"source", source}
	}
	return postFile(e, token, "/api/v1/items/"+itemID+"/audio", "ghi-am.bin", data, fields...)
}

// audioState reads GET /api/v1/items/:id/audio.
func audioStateOf(e *apptest.Env, token, itemID string) audioState {
	e.T.Helper()
	var st audioState
	e.Do("GET", "/api/v1/items/"+itemID+"/audio", token, nil).Want(200).JSON(&st)
	return st
}

// audioDraft creates a draft script read at 17:30 on 20 and 21 November
// 2026 on the stations given.
func audioDraft(t testing.TB, l *loudspeakers, body string, stationIDs ...string) campaigns.Item {
	t.Helper()
	var it campaigns.Item
	l.e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "script", "title": "Bản tin phòng, chống bạo lực gia đình",
		"body": body, "audiences": []string{"residents"}, "channels": []string{"loudspeaker"},
		"schedule":    map[string]any{"times": []string{"17:30"}, "from": "2026-11-20", "to": "2026-11-21"},
		"station_ids": stationIDs}).Want(201).JSON(&it)
	return it
}

// audioTone is a 6-second 1 kHz tone at about −30 LUFS, as a recording
// too quiet for a loudspeaker.
func audioTone(t testing.TB, format string) []byte {
	t.Helper()
	return audiotest.Make(t, audiotest.Sound{Seconds: 6, Hz: 1000, PeakDBFS: -27, Format: format})
}

func audioSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
