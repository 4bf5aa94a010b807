package audio

import (
	"errors"
	"time"
)

// Sentinel errors of Normalize. Every error it returns for bad input wraps
// one of them, so the HTTP layer can map them: ErrUnsupported → 415,
// ErrTooLarge and ErrTooLong → 413, ErrCorrupt and ErrSilent → 422,
// ErrUnavailable → 503. Anything else is ours (500) or the context's.
var (
	// ErrUnavailable means ffmpeg or ffprobe was not found when the
	// Processor was built. Its message names the Debian package.
	ErrUnavailable = errors.New("audio tools are not installed (install the Debian package ffmpeg)")
	// ErrUnsupported means the bytes are not WAV, MP3, Ogg (Opus), WebM
	// (Opus) or M4A (AAC), whatever the file was called.
	ErrUnsupported = errors.New("unsupported audio format (accepted: WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC)")
	// ErrTooLarge means the upload is longer than the byte limit.
	ErrTooLarge = errors.New("audio file is too large")
	// ErrTooLong means the recording lasts longer than the duration limit.
	ErrTooLong = errors.New("audio recording is too long")
	// ErrCorrupt means the file starts like a supported format but cannot
	// be decoded whole: damaged, truncated, or without an audio stream.
	ErrCorrupt = errors.New("audio data is damaged or truncated")
	// ErrSilent means the recording has no measurable loudness (integrated
	// loudness below −70 LUFS, EBU R128's absolute gate): nothing to
	// normalise.
	ErrSilent = errors.New("audio recording is silent")
)

// Upload limits, enforced by Normalize before anything is decoded.
const (
	// MaxBytes is the largest accepted upload: 50 MB.
	MaxBytes = 50 << 20
	// MaxDuration is the longest accepted recording: 20 minutes.
	MaxDuration = 20 * time.Minute
)

// Loudness targets of every normalised file (SPEC §6.3, EBU R128 with the
// −16 LUFS target usual for speech on small speakers).
const (
	// TargetLUFS is the integrated loudness of the output.
	TargetLUFS = -16.0
	// ToleranceLU is how far the output's integrated loudness may be from
	// TargetLUFS.
	ToleranceLU = 1.0
	// MaxTruePeakDBTP is the highest true peak of the output.
	MaxTruePeakDBTP = -1.0
	// SilenceLUFS is EBU R128's absolute gate: an integrated loudness at
	// or below it means no gated block had any sound.
	SilenceLUFS = -70.0
)
