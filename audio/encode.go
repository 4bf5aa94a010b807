package audio

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// Encoder settings. The pre-encode ceiling leaves room for the overshoot
// of MP3 encoding (typically a few tenths of a dB); the limiter's sample
// ceiling sits lower still because a sample-peak limiter lets inter-sample
// peaks through.
const (
	preEncodeCeilingDBTP = -1.5
	limiterMarginDB      = 1.0
	targetSlackLU        = 0.5
	maxEncodes           = 4
	// steerPeakDBTP is where a corrected encode aims the true peak.
	steerPeakDBTP = MaxTruePeakDBTP - 0.4
	// mp3Quality is LAME's algorithm quality (0 best … 9 fastest). At 96
	// kbit/s mono, speech for loudspeakers does not need more than 7
	// ("fast, good enough"), which encodes three minutes in about half
	// the time of 5 and a quarter of 2 (measured here).
	mp3Quality = "7"
)

// encode applies the gain to pcm, encodes out and verifies it (Normalize,
// steps 4 and 5). After a limited encode the loudness no longer follows the
// gain one for one (the limiter takes part of it back), so corrections
// follow the slope measured between the last two encodes (a secant step).
func (p *Processor) encode(ctx context.Context, pcm, out string, in Loudness) ([]byte, Loudness, int, error) {
	gain := TargetLUFS - in.IntegratedLUFS
	ceiling := preEncodeCeilingDBTP
	limit := in.TruePeakDBTP+gain > ceiling
	var got Loudness
	prevGain, prevI := math.NaN(), math.NaN()
	encodes := 0
	for range maxEncodes {
		encodes++
		if err := p.encodeOnce(ctx, pcm, out, gain, limit, ceiling); err != nil {
			return nil, Loudness{}, encodes, err
		}
		var err error
		if got, err = p.measureFile(ctx, out, FormatMP3); err != nil {
			return nil, Loudness{}, encodes, err
		}
		off := TargetLUFS - got.IntegratedLUFS
		if math.Abs(off) <= targetSlackLU && got.TruePeakDBTP <= MaxTruePeakDBTP {
			break
		}
		slope := 1.0
		if !math.IsNaN(prevGain) && gain != prevGain {
			slope = max(0.2, min(1, (got.IntegratedLUFS-prevI)/(gain-prevGain)))
		}
		prevGain, prevI = gain, got.IntegratedLUFS
		gain += off / slope
		// Steer the limiter so that the next true peak lands just under
		// the limit: down when it peaked over, up when limiting cost
		// loudness that the peak limit did not require.
		if limit || got.TruePeakDBTP > MaxTruePeakDBTP {
			ceiling = min(preEncodeCeilingDBTP+1, ceiling+(steerPeakDBTP-got.TruePeakDBTP))
			limit = true
		}
	}
	if math.Abs(TargetLUFS-got.IntegratedLUFS) > ToleranceLU || got.TruePeakDBTP > MaxTruePeakDBTP {
		return nil, got, encodes, fmt.Errorf("%w: %.1f LUFS, true peak %.1f dBTP after %d encodes",
			errOffTarget, got.IntegratedLUFS, got.TruePeakDBTP, encodes)
	}
	mp3, err := os.ReadFile(out)
	if err != nil {
		return nil, got, encodes, fmt.Errorf("audio: reading the encoded file: %w", err)
	}
	return mp3, got, encodes, nil
}

// encodeOnce writes out from pcm with gain dB applied, through a limiter
// when asked. No tag or metadata goes into the file, and bitexact keeps the
// bytes a function of the sound and the ffmpeg version alone, so that the
// same upload always gets the same SHA-256.
func (p *Processor) encodeOnce(ctx context.Context, pcm, out string, gain float64, limit bool, ceiling float64) error {
	filter := "volume=" + strconv.FormatFloat(gain, 'f', 3, 64) + "dB"
	if limit {
		lin := math.Pow(10, (ceiling-limiterMarginDB)/20)
		filter += fmt.Sprintf(",alimiter=limit=%.5f:level=false:attack=5:release=50:latency=true", lin)
	}
	_, _, err := run(ctx, p.ffmpeg, nil, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y",
		"-f", "f32le", "-ar", strconv.Itoa(pcmRate), "-ac", "1", "-i", pcm,
		"-af", filter, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
		"-c:a", "libmp3lame", "-b:a", mp3Bitrate, "-compression_level", mp3Quality,
		"-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", out)
	if err != nil {
		return fmt.Errorf("audio: encoding MP3: %w", err)
	}
	return nil
}

// workdir is one call's private temporary folder.
type workdir struct{ dir string }

func (p *Processor) workdir() (*workdir, error) {
	dir, err := os.MkdirTemp(p.tempDir, "lantoa-audio-")
	if err != nil {
		return nil, fmt.Errorf("audio: temporary folder: %w", err)
	}
	return &workdir{dir: dir}, nil
}

func (w *workdir) path(name string) string { return filepath.Join(w.dir, name) }

func (w *workdir) write(name string, data []byte) (string, error) {
	path := w.path(name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("audio: temporary file: %w", err)
	}
	return path, nil
}

func (w *workdir) remove() { _ = os.RemoveAll(w.dir) }
