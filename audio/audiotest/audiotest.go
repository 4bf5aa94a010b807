// Package audiotest makes sounds for the tests of the packages that use
// package audio (the service's end-to-end tests, the pages' browser tests):
// tones of a known level and silence, in every accepted format, with
// Debian's ffmpeg. A test without ffmpeg is skipped.
package audiotest

import (
	"context"
	"os/exec"
	"testing"

	"github.com/lantoa/lantoa/audio/internal/soundgen"
)

// Sound describes a test sound.
type Sound struct {
	// Seconds is the duration; Hz the tone's frequency (0: silence).
	Seconds, Hz float64
	// PeakDBFS is the tone's peak level: a 1 kHz sine at −27 dBFS peak
	// measures about −30 LUFS in mono.
	PeakDBFS float64
	// Rate is the sample rate (48,000 by default).
	Rate int
	// Format is wav, mp3, ogg (Opus), webm (Opus), m4a (AAC) or aac.
	Format string
}

// NeedFFmpeg skips the test when ffmpeg or ffprobe is not installed (CI
// installs them: .ci/run).
func NeedFFmpeg(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install ffmpeg): %v", tool, err)
		}
	}
}

// Make renders s, or fails the test (skips it without ffmpeg).
func Make(t testing.TB, s Sound) []byte {
	t.Helper()
	NeedFFmpeg(t)
	ffmpeg, _ := exec.LookPath("ffmpeg")
	data, err := soundgen.Generate(context.Background(), ffmpeg, soundgen.Spec{Seconds: s.Seconds, Hz: s.Hz,
		PeakDBFS: s.PeakDBFS, Rate: s.Rate, Format: s.Format})
	if err != nil {
		t.Fatal(err)
	}
	return data
}
