package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAudioSettings(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "tts-key")
	if err := os.WriteFile(secret, []byte("khoa-tu-tep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		env  map[string]string
		fail string // the setting the error names; "" when valid
	}{
		{map[string]string{}, ""},
		{map[string]string{"TTS_PROVIDER": "espeak"}, ""},
		{map[string]string{"TTS_PROVIDER": "FPT", "TTS_API_KEY": "k"}, ""},
		{map[string]string{"TTS_PROVIDER": "fpt", "TTS_API_KEY_FILE": secret}, ""},
		{map[string]string{"TTS_PROVIDER": "fpt"}, "TTS_API_KEY"},
		{map[string]string{"TTS_PROVIDER": "google"}, "TTS_PROVIDER"},
		{map[string]string{"TTS_PROVIDER": "vbee", "TTS_APP_ID": "a", "TTS_API_KEY": "k", "TTS_CALLBACK_SECRET": "0123456789abcdef"}, ""},
		{map[string]string{"TTS_PROVIDER": "vbee", "TTS_APP_ID": "a", "TTS_API_KEY": "k", "TTS_CALLBACK_SECRET": "short"}, "TTS_CALLBACK_SECRET"},
		{map[string]string{"TTS_PROVIDER": "vbee", "TTS_API_KEY": "k", "TTS_CALLBACK_SECRET": "0123456789abcdef"}, "TTS_APP_ID"},
		{map[string]string{"TTS_PROVIDER": "fpt", "TTS_API_KEY": "k", "TTS_URL": "ftp://x"}, "TTS_URL"},
		{map[string]string{"LANTOA_FFMPEG": " "}, "LANTOA_FFMPEG"},
	} {
		cfg, err := Load("t", nil, env(c.env), io.Discard)
		switch {
		case c.fail == "" && err != nil:
			t.Errorf("%v: %v", c.env, err)
		case c.fail != "" && (err == nil || !strings.Contains(err.Error(), c.fail)):
			t.Errorf("%v: error %v does not name %s", c.env, err, c.fail)
		case err == nil && c.env["TTS_API_KEY_FILE"] != "" && cfg.Audio.APIKey != "khoa-tu-tep":
			t.Errorf("key from the file: %q", cfg.Audio.APIKey)
		case err == nil && c.env["TTS_PROVIDER"] == "FPT" && cfg.Audio.Provider != ProviderFPT:
			t.Errorf("provider %q", cfg.Audio.Provider)
		}
	}
	cfg, err := Load("t", nil, env(map[string]string{"TTS_PROVIDER": "vbee", "TTS_APP_ID": "a", "TTS_API_KEY": "k",
		"TTS_CALLBACK_SECRET": "0123456789abcdef"}), io.Discard)
	if err != nil || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "LANTOA_BASE_URL") {
		t.Errorf("Vbee calling back localhost: %v %q", err, cfg.Warnings)
	}
	if cfg.Audio.FFmpeg != "ffmpeg" || cfg.Audio.FFprobe != "ffprobe" {
		t.Errorf("tools %q %q", cfg.Audio.FFmpeg, cfg.Audio.FFprobe)
	}
}
