package audio_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/lantoa/lantoa/audio/internal/soundgen"
)

// needTools skips the test when ffmpeg or ffprobe is not installed: CI
// installs them (.ci/run), a developer's machine may not have them.
func needTools(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install ffmpeg): %v", tool, err)
		}
	}
}

// sound renders a test sound or fails the test.
func sound(t testing.TB, s soundgen.Spec) []byte {
	t.Helper()
	ffmpeg, _ := exec.LookPath("ffmpeg")
	data, err := soundgen.Generate(context.Background(), ffmpeg, s)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// measured is a loudness measurement made by the test itself, apart from
// the package under test: its own ffmpeg run, its own parsing.
type measured struct {
	I, TP    float64
	Channels int
	Codec    string
	Seconds  float64
}

var (
	reI    = regexp.MustCompile(`(?s)Integrated loudness:\s+I:\s+(-?[0-9.]+|-inf) LUFS`)
	reTP   = regexp.MustCompile(`(?s)True peak:\s+Peak:\s+(-?[0-9.]+|-inf) dBFS`)
	reInfo = regexp.MustCompile(`(?m)^codec_name=(\S+)\s+channels=(\d+)\s+duration=([0-9.]+)`)
)

// measure runs ffmpeg's ebur128 meter and ffprobe on data from stdin.
func measure(t testing.TB, data []byte) measured {
	t.Helper()
	file := filepath.Join(t.TempDir(), "measured")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", file,
		"-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128: %v\n%s", err, out)
	}
	var m measured
	m.I = parseDB(t, reI, out)
	m.TP = parseDB(t, reTP, out)
	info, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=codec_name,channels:format=duration", "-of", "default=noprint_wrappers=1", file).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	if mm := reInfo.FindSubmatch(info); mm != nil {
		m.Codec = string(mm[1])
		m.Channels, _ = strconv.Atoi(string(mm[2]))
		m.Seconds, _ = strconv.ParseFloat(string(mm[3]), 64)
	} else {
		t.Fatalf("ffprobe output not understood:\n%s", info)
	}
	return m
}

func parseDB(t testing.TB, re *regexp.Regexp, out []byte) float64 {
	t.Helper()
	mm := re.FindSubmatch(out)
	if mm == nil {
		t.Fatalf("no %s in ffmpeg's output", re)
	}
	v, err := strconv.ParseFloat(string(mm[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
