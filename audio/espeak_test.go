package audio_test

import (
	"context"
	"errors"
	"os/exec"
	"testing"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/audio"
)

// TestEspeakSpeaksVietnamese: each Vietnamese voice gives a WAV that
// Normalize turns into broadcast sound; slower speech lasts longer.
func TestEspeakSpeaksVietnamese(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skipf("espeak-ng is not installed (apt-get install espeak-ng): %v", err)
	}
	needTools(t)
	e := audio.NewEspeak("")
	p := audio.New(audio.Config{})
	text := "Đường dây nóng một một một. Ngày hai mươi lăm tháng mười một, cả xã hành động."
	durations := map[string]float64{}
	for _, v := range audio.EspeakVoices {
		wav, err := e.Synthesize(context.Background(), text, audio.Options{Voice: v})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		res, err := p.Normalize(context.Background(), wav)
		if err != nil {
			t.Fatalf("%s: normalising: %v", v, err)
		}
		checkBroadcast(t, res, res.DurationSeconds)
		durations[v] = res.DurationSeconds
	}
	slow, err := e.Synthesize(context.Background(), text, audio.Options{Speed: 0.6})
	if err != nil {
		t.Fatal(err)
	}
	if got := measure(t, slow).Seconds; got < durations["vi"]*1.3 {
		t.Errorf("at speed 0.6 the text lasts %.2f s, at 1 %.2f s; want clearly longer", got, durations["vi"])
	}
	if _, err := e.Synthesize(context.Background(), text, audio.Options{Voice: "en"}); !isValidation(err, "voice") {
		t.Errorf("English voice: %v, want a validation error on voice", err)
	}
}

func TestEspeakMissingIsNotConfigured(t *testing.T) {
	t.Parallel()
	e := audio.NewEspeak("/nonexistent/espeak-ng")
	_, err := e.Synthesize(context.Background(), "Xin chào", audio.Options{})
	if !errors.Is(err, audio.ErrNotConfigured) || !errors.Is(e.Err(), audio.ErrNotConfigured) {
		t.Fatalf("err = %v, want ErrNotConfigured", err)
	}
}

func isValidation(err error, field string) bool {
	var v *apperr.ValidationError
	return errors.As(err, &v) && v.Field == field
}
