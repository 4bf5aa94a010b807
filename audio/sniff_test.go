package audio

import (
	"math"
	"testing"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		data string
		want Format
		ok   bool
	}{
		{"wav", "RIFF\x24\x00\x00\x00WAVEfmt ", FormatWAV, true},
		{"riff but avi", "RIFF\x24\x00\x00\x00AVI LIST", "", false},
		{"mp3 with id3", "ID3\x04\x00\x00\x00\x00\x00\x23TSSE", FormatMP3, true},
		{"mp3 frame mpeg1 layer3 128k 44.1k", "\xFF\xFB\x90\x64", FormatMP3, true},
		{"mp3 frame mpeg2 layer3", "\xFF\xF3\x48\xC4", FormatMP3, true},
		{"mpeg layer2 frame", "\xFF\xFD\x90\x64", "", false},
		{"bad bitrate index", "\xFF\xFB\xF0\x64", "", false},
		{"adts aac", "\xFF\xF1\x50\x80", FormatAAC, true},
		{"ogg", "OggS\x00\x02\x00\x00", FormatOgg, true},
		{"webm", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81", FormatWebM, true},
		{"m4a", "\x00\x00\x00\x1CftypM4A \x00\x00\x02\x00", FormatM4A, true},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0DIHDR", "", false},
		{"jpeg", "\xFF\xD8\xFF\xE0\x00\x10JFIF", "", false},
		{"flac", "fLaC\x00\x00\x00\x22", "", false},
		{"text", "hello world, not audio", "", false},
		{"empty", "", "", false},
		{"short id3", "ID3", "", false},
	}
	for _, c := range cases {
		got, ok := Sniff([]byte(c.data))
		if got != c.want || ok != c.ok {
			t.Errorf("%s: Sniff = %q, %v; want %q, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestParseEBUR128(t *testing.T) {
	t.Parallel()
	diag := `[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -16.2 LUFS
    Threshold: -26.3 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS
    LRA low:     0.0 LUFS
    LRA high:    0.0 LUFS

  True peak:
    Peak:       -1.9 dBFS
`
	l, err := parseEBUR128(diag)
	if err != nil || l.IntegratedLUFS != -16.2 || l.TruePeakDBTP != -1.9 {
		t.Errorf("parse = %+v, %v", l, err)
	}
	l, err = parseEBUR128("  Integrated loudness:\n    I:         -70.0 LUFS\n  True peak:\n    Peak:       -inf dBFS\n")
	if err != nil || l.IntegratedLUFS != -70 || !math.IsInf(l.TruePeakDBTP, -1) {
		t.Errorf("silence = %+v, %v", l, err)
	}
	if _, err := parseEBUR128("Input #0, wav, from 'x'"); err == nil {
		t.Error("no summary: want an error")
	}
}

func TestBoundedBufferKeepsHeadAndTail(t *testing.T) {
	t.Parallel()
	var b boundedBuffer
	b.Write([]byte("HEAD"))
	chunk := make([]byte, 1024)
	for i := range chunk {
		chunk[i] = 'x'
	}
	for range 200 {
		b.Write(chunk)
	}
	b.Write([]byte("TAIL"))
	s := b.String()
	if len(s) > stderrHead+stderrTail+100 {
		t.Errorf("kept %d bytes, want at most about %d", len(s), stderrHead+stderrTail)
	}
	if s[:4] != "HEAD" || s[len(s)-4:] != "TAIL" || b.dropped == 0 {
		t.Errorf("head %q, tail %q, dropped %d", s[:4], s[len(s)-4:], b.dropped)
	}
}
