// Package soundgen makes test sounds with ffmpeg: tones of a known level,
// silence and speech-like noise, in every format the audio package
// accepts. It serves the audio package's tests and the fake TTS servers;
// nothing in the service uses it.
package soundgen

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Spec describes a sound.
type Spec struct {
	// Seconds is the duration.
	Seconds float64
	// Hz is the tone's frequency; 0 means silence.
	Hz float64
	// PeakDBFS is the tone's peak level (a 1 kHz sine at −27 dBFS peak
	// measures about −30 LUFS in mono).
	PeakDBFS float64
	// Expr, when set, replaces the tone: an ffmpeg aevalsrc expression of
	// t (seconds), for signals such as clicks over a quiet tone.
	Expr string
	// Rate is the sample rate (48000 by default).
	Rate int
	// Channels is 1 or 2 (1 by default).
	Channels int
	// Format is wav, mp3, ogg (Opus), webm (Opus), m4a (AAC) or aac (ADTS).
	Format string
}

// codecs are the encoder and muxer for each format.
var codecs = map[string][2]string{
	"wav":  {"pcm_s16le", "wav"},
	"mp3":  {"libmp3lame", "mp3"},
	"ogg":  {"libopus", "ogg"},
	"webm": {"libopus", "webm"},
	"m4a":  {"aac", "ipod"},
	"aac":  {"aac", "adts"},
}

// Generate renders s with the ffmpeg at path.
func Generate(ctx context.Context, ffmpeg string, s Spec) ([]byte, error) {
	c, ok := codecs[s.Format]
	if !ok {
		return nil, fmt.Errorf("soundgen: unknown format %q", s.Format)
	}
	rate, ch := s.Rate, s.Channels
	if rate == 0 {
		rate = 48000
	}
	if ch == 0 {
		ch = 1
	}
	if c[0] == "libopus" && rate != 48000 && rate != 24000 && rate != 16000 && rate != 12000 && rate != 8000 {
		rate = 48000
	}
	amp := 0.0
	if s.Hz > 0 {
		amp = math.Pow(10, s.PeakDBFS/20)
	}
	expr := fmt.Sprintf("%g*sin(2*PI*%g*t)", amp, s.Hz)
	if s.Expr != "" {
		expr = s.Expr
	}
	if ch == 2 {
		expr += "|" + expr
	}
	src := fmt.Sprintf("aevalsrc=%s:s=%d:d=%g", expr, rate, s.Seconds)
	dir, err := os.MkdirTemp("", "soundgen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out."+s.Format)
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src,
		"-c:a", c[0], "-ar", strconv.Itoa(rate), "-f", c[1], out}
	if msg, err := exec.CommandContext(ctx, ffmpeg, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("soundgen: ffmpeg: %w: %s", err, msg)
	}
	return os.ReadFile(out)
}
