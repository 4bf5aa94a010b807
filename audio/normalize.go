package audio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Result is a normalised recording.
type Result struct {
	// MP3 is the broadcast file: mono, 44.1 kHz, 96 kbit/s CBR MP3 with no
	// tags from the upload.
	MP3 []byte
	// DurationSeconds is the length of the sound, to the millisecond.
	DurationSeconds float64
	// LoudnessLUFS and TruePeakDBTP are measured on MP3 after encoding, by
	// decoding it again: what a loudspeaker will play.
	LoudnessLUFS float64
	TruePeakDBTP float64
	// SHA256 is the hex SHA-256 of MP3, for content addressing.
	SHA256 string
	// Format is what the upload was recognised as.
	Format Format
	// Encodes is how many MP3 encodes the loudness loop needed (1 unless
	// a limiter had to hold the peaks).
	Encodes int
}

// The working sample format between the passes: mono 32-bit float at the
// output rate, so that the gain is applied without clipping or requantising
// and the encoder needs no resampling.
const (
	pcmRate      = 44100
	pcmFrameSize = 4
	mp3Bitrate   = "96k"
)

// Normalize turns an upload into broadcast-ready sound (SPEC §6.3):
//
//  1. at most MaxBytes, recognised by its bytes (Sniff), else ErrTooLarge
//     or ErrUnsupported;
//  2. probed with ffprobe under the forced demuxer: no audio stream or an
//     unreadable container is ErrCorrupt, a declared duration over
//     MaxDuration is ErrTooLong before anything is decoded;
//  3. decoded once (never more than MaxDuration plus a second, for files
//     that declare no duration) to mono float PCM while ebur128 measures
//     it; decoder errors are ErrCorrupt, integrated loudness at or below
//     −70 LUFS is ErrSilent;
//  4. the measured gain to TargetLUFS is applied (with a look-ahead
//     limiter only when the gain would push the true peak over −1.5 dBTP)
//     and encoded with libmp3lame;
//  5. the MP3 is decoded and measured again; when it is off target by more
//     than 0.5 LU or peaks over MaxTruePeakDBTP, the gain is corrected by
//     the measured error (along the slope of the last two encodes) and the limiter's ceiling steered so the true peak
//     lands at −1.4 dBTP, and step 4 runs again (at most four encodes).
//     Output outside ±ToleranceLU or over the peak limit is an error of
//     ours, never returned as a Result.
func (p *Processor) Normalize(ctx context.Context, data []byte) (Result, error) {
	if p.err != nil {
		return Result{}, p.err
	}
	if len(data) > p.maxBytes {
		return Result{}, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), p.maxBytes)
	}
	f, ok := Sniff(data)
	if !ok {
		return Result{}, ErrUnsupported
	}
	w, err := p.workdir()
	if err != nil {
		return Result{}, err
	}
	defer w.remove()
	in, err := w.write("in", data)
	if err != nil {
		return Result{}, err
	}
	if err := p.probe(ctx, in, f); err != nil {
		return Result{}, err
	}
	pcm := w.path("pcm")
	seconds, in1, err := p.decode(ctx, in, f, pcm)
	if err != nil {
		return Result{}, err
	}
	if in1.IntegratedLUFS <= SilenceLUFS || math.IsNaN(in1.IntegratedLUFS) {
		return Result{}, fmt.Errorf("%w (integrated loudness %.1f LUFS)", ErrSilent, in1.IntegratedLUFS)
	}
	mp3, out, encodes, err := p.encode(ctx, pcm, w.path("out.mp3"), in1)
	if err != nil {
		return Result{}, err
	}
	sum := sha256.Sum256(mp3)
	return Result{MP3: mp3, DurationSeconds: math.Round(seconds*1000) / 1000, LoudnessLUFS: out.IntegratedLUFS,
		TruePeakDBTP: out.TruePeakDBTP, SHA256: hex.EncodeToString(sum[:]), Format: f, Encodes: encodes}, nil
}

// probeOutput is the part of ffprobe's JSON that Normalize reads.
type probeOutput struct {
	Streams []struct {
		CodecType string `json:"codec_type"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

// probe checks the container and its declared duration without decoding.
func (p *Processor) probe(ctx context.Context, in string, f Format) error {
	out, _, err := run(ctx, p.ffprobe, nil, "-v", "error", "-protocol_whitelist", "file", "-f", f.demuxer(),
		"-show_entries", "format=duration:stream=codec_type", "-of", "json", in)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	var po probeOutput
	if err := json.Unmarshal(out, &po); err != nil {
		return fmt.Errorf("%w: unreadable probe: %v", ErrCorrupt, err)
	}
	audio := false
	for _, s := range po.Streams {
		audio = audio || s.CodecType == "audio"
	}
	if !audio {
		return fmt.Errorf("%w: no audio stream", ErrCorrupt)
	}
	if d, err := strconv.ParseFloat(po.Format.Duration, 64); err == nil && d > p.maxDuration.Seconds()+0.5 {
		return fmt.Errorf("%w: %.0f s, at most %.0f s", ErrTooLong, d, p.maxDuration.Seconds())
	}
	return nil
}

// corruptMarkers are diagnostics ffmpeg prints, at warning level or above,
// for a file it can only partly decode: it then often exits 0 with the
// sound cut short.
var corruptMarkers = []string{"[error]", "[fatal]", "corrupt input packet", "File ended prematurely",
	"filesize and duration do not match"}

// decode writes the first audio stream of in as mono float PCM and measures
// it in the same pass. It returns the duration decoded.
func (p *Processor) decode(ctx context.Context, in string, f Format, pcm string) (float64, Loudness, error) {
	limit := strconv.FormatFloat(p.maxDuration.Seconds()+1, 'f', 3, 64)
	filter := fmt.Sprintf("aformat=sample_fmts=flt:sample_rates=%d:channel_layouts=mono,%s", pcmRate, ebur128Filter)
	_, diag, err := run(ctx, p.ffmpeg, nil, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info",
		"-protocol_whitelist", "file", "-f", f.demuxer(), "-i", in,
		"-map", "0:a:0", "-t", limit, "-af", filter, "-c:a", "pcm_f32le", "-f", "f32le", pcm)
	if ctx.Err() != nil {
		return 0, Loudness{}, ctx.Err()
	}
	if err != nil {
		return 0, Loudness{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	for _, m := range corruptMarkers {
		if i := strings.Index(diag, m); i >= 0 {
			return 0, Loudness{}, fmt.Errorf("%w: %s", ErrCorrupt, lineAt(diag, i))
		}
	}
	st, err := os.Stat(pcm)
	if err != nil {
		return 0, Loudness{}, fmt.Errorf("audio: decoded file: %w", err)
	}
	seconds := float64(st.Size()/pcmFrameSize) / pcmRate
	if seconds > p.maxDuration.Seconds()+0.5 {
		return 0, Loudness{}, fmt.Errorf("%w: more than %.0f s", ErrTooLong, p.maxDuration.Seconds())
	}
	if seconds == 0 {
		return 0, Loudness{}, fmt.Errorf("%w: no sound decoded", ErrCorrupt)
	}
	l, err := parseEBUR128(diag)
	return seconds, l, err
}

// lineAt returns the line of s that contains index i.
func lineAt(s string, i int) string {
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := strings.IndexByte(s[i:], '\n')
	if end < 0 {
		return strings.TrimSpace(s[start:])
	}
	return strings.TrimSpace(s[start : i+end])
}

// errOffTarget means the encoder loop could not meet the targets: a defect
// of ours (or of a very unusual recording), never the user's.
var errOffTarget = errors.New("audio: normalised output is off target")
