package audio

import "bytes"

// Format is an accepted container, recognised by its bytes.
type Format string

// The accepted formats. Each names the ffmpeg demuxer Normalize forces, so
// that ffmpeg never guesses a format (a playlist or a concat script could
// make it open other files).
const (
	FormatWAV  Format = "wav"
	FormatMP3  Format = "mp3"
	FormatOgg  Format = "ogg"
	FormatWebM Format = "webm"
	FormatM4A  Format = "m4a"
	FormatAAC  Format = "aac" // raw ADTS, as some recorders write .aac
)

// demuxer is the ffmpeg -f name for f.
func (f Format) demuxer() string {
	switch f {
	case FormatWebM:
		return "matroska"
	case FormatM4A:
		return "mov"
	}
	return string(f)
}

// muxer is the ffmpeg -f name that writes f.
func (f Format) muxer() string {
	switch f {
	case FormatM4A:
		return "ipod"
	case FormatAAC:
		return "adts"
	}
	return string(f)
}

// Sniff recognises data by its first bytes, never by a file name: RIFF/WAVE,
// MP3 (an ID3v2 tag or an MPEG-1/2 layer III frame header), Ogg, EBML
// (WebM or Matroska), ISO base media (M4A, MP4) and ADTS AAC. It returns
// false for anything else: a PNG renamed .mp3 is not audio.
func Sniff(data []byte) (Format, bool) {
	switch {
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WAVE")):
		return FormatWAV, true
	case bytes.HasPrefix(data, []byte("ID3")) && len(data) >= 10:
		return FormatMP3, true
	case bytes.HasPrefix(data, []byte("OggS")):
		return FormatOgg, true
	case bytes.HasPrefix(data, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return FormatWebM, true
	case len(data) >= 12 && bytes.Equal(data[4:8], []byte("ftyp")):
		return FormatM4A, true
	case len(data) >= 4 && data[0] == 0xFF && data[1]&0xE0 == 0xE0:
		return frameFormat(data[1], data[2])
	}
	return "", false
}

// frameFormat tells an MPEG audio frame header (layer III, a valid version,
// bitrate and sample rate) from an ADTS header (sync 0xFFF, layer 0).
func frameFormat(b1, b2 byte) (Format, bool) {
	version := (b1 >> 3) & 3
	layer := (b1 >> 1) & 3
	if b1&0xF0 == 0xF0 && layer == 0 {
		return FormatAAC, true
	}
	bitrate := b2 >> 4
	rate := (b2 >> 2) & 3
	if version != 1 && layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3 {
		return FormatMP3, true
	}
	return "", false
}
