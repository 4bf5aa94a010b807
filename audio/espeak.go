package audio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lantoa/lantoa/apperr"
)

// EspeakVoices are espeak-ng's Vietnamese voices (northern, central,
// southern); the first is the default.
var EspeakVoices = []string{"vi", "vi-vn-x-central", "vi-vn-x-south"}

// espeakWPM is espeak-ng's speaking rate at Speed 1, in words a minute
// (its own default is 175, hurried for Vietnamese syllables).
const espeakWPM = 150

// Espeak is the robotic preview voice of Debian's espeak-ng: local, free,
// always available where installed, and clearly not a person.
type Espeak struct {
	path string
	err  error
}

// NewEspeak finds espeak-ng with exec.LookPath (program is a name or a
// path; "" means "espeak-ng"). Without it, Synthesize answers
// ErrNotConfigured naming the Debian package.
func NewEspeak(program string) *Espeak {
	path, err := exec.LookPath(orDefault(program, "espeak-ng"))
	if err != nil {
		return &Espeak{err: notConfigured("espeak", "espeak-ng is not installed (install the Debian package espeak-ng): "+err.Error())}
	}
	return &Espeak{path: path}
}

// Name returns "espeak".
func (e *Espeak) Name() string { return "espeak" }

// Err returns nil when espeak-ng was found.
func (e *Espeak) Err() error { return e.err }

// Synthesize speaks text with espeak-ng and returns a WAV file. The text
// goes in on standard input, never on the command line.
func (e *Espeak) Synthesize(ctx context.Context, text string, opt Options) ([]byte, error) {
	if e.err != nil {
		return nil, e.err
	}
	voice := opt.Voice
	if voice == "" {
		voice = EspeakVoices[0]
	}
	if !slices.Contains(EspeakVoices, voice) {
		return nil, apperr.Invalid("voice", "espeak-ng voices are %s", strings.Join(EspeakVoices, ", "))
	}
	s := opt.Speed
	if s == 0 {
		s = 1
	}
	if s < MinSpeed || s > MaxSpeed {
		return nil, apperr.Invalid("speed", "between %.1f and %.1f", MinSpeed, MaxSpeed)
	}
	if strings.TrimSpace(text) == "" {
		return nil, apperr.Invalid("text", "there is no text to speak")
	}
	wpm := strconv.Itoa(int(math.Round(espeakWPM * s)))
	// To a file, not --stdout: on a pipe espeak-ng cannot go back to write
	// the WAV header's sizes, and ffmpeg then reports the end as corrupt.
	dir, err := os.MkdirTemp("", "lantoa-espeak-")
	if err != nil {
		return nil, fmt.Errorf("audio: temporary folder: %w", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "speech.wav")
	_, diag, err := run(ctx, e.path, strings.NewReader(text), "-v", voice, "-s", wpm, "-b", "1", "-w", out)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, &TTSError{Provider: "espeak", Class: ErrPermanent, Message: fmt.Sprintf("%v %s", err, lastLines(diag, 2))}
	}
	wav, err := os.ReadFile(out)
	if err != nil {
		return nil, &TTSError{Provider: "espeak", Class: ErrPermanent, Message: "espeak-ng wrote no file: " + err.Error()}
	}
	if f, ok := Sniff(wav); !ok || f != FormatWAV {
		return nil, &TTSError{Provider: "espeak", Class: ErrPermanent, Message: "espeak-ng did not write a WAV file"}
	}
	return wav, nil
}
