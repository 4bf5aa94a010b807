package audio

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Config says where the tools are and what Normalize accepts. Zero values
// mean the defaults.
type Config struct {
	// FFmpeg and FFprobe are program names looked up on PATH, or paths
	// ("ffmpeg" and "ffprobe" by default).
	FFmpeg, FFprobe string
	// TempDir holds the working files of each call (os.TempDir() by
	// default); each call removes its own.
	TempDir string
	// MaxBytes bounds the upload (MaxBytes by default).
	MaxBytes int
	// MaxDuration bounds the recording (MaxDuration by default).
	MaxDuration time.Duration
}

// Processor decodes, measures, normalises and joins audio with ffmpeg. It
// holds no state between calls and is safe for concurrent use; each call
// starts its own processes.
type Processor struct {
	ffmpeg, ffprobe string
	tempDir         string
	maxBytes        int
	maxDuration     time.Duration
	err             error
}

// New finds ffmpeg and ffprobe with exec.LookPath once. When either is
// missing, the Processor is still returned: Err and every method then
// return an error wrapping ErrUnavailable, so the service can start and
// answer 503 on the audio routes only.
func New(cfg Config) *Processor {
	p := &Processor{tempDir: cfg.TempDir, maxBytes: cfg.MaxBytes, maxDuration: cfg.MaxDuration}
	if p.tempDir == "" {
		p.tempDir = os.TempDir()
	}
	if p.maxBytes <= 0 {
		p.maxBytes = MaxBytes
	}
	if p.maxDuration <= 0 {
		p.maxDuration = MaxDuration
	}
	var err1, err2 error
	p.ffmpeg, err1 = exec.LookPath(orDefault(cfg.FFmpeg, "ffmpeg"))
	p.ffprobe, err2 = exec.LookPath(orDefault(cfg.FFprobe, "ffprobe"))
	switch {
	case err1 != nil:
		p.err = fmt.Errorf("%w: %v", ErrUnavailable, err1)
	case err2 != nil:
		p.err = fmt.Errorf("%w: %v", ErrUnavailable, err2)
	}
	return p
}

// Err returns nil when the tools were found, else an error wrapping
// ErrUnavailable.
func (p *Processor) Err() error { return p.err }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
