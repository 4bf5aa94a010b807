package app

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/scriptaudio"
)

// newAudio builds the sound of scripts (SPEC §6.3): ffmpeg found once, at
// start (without it the audio routes answer 503 naming the Debian package,
// and everything else runs), and the text-to-speech provider of
// TTS_PROVIDER (audio/doc.go shows the wiring).
func newAudio(db *mongo.Database, o Options, items scriptaudio.Items, store scriptaudio.Store) *scriptaudio.Service {
	cfg, log := o.Config, o.Log
	tmp := filepath.Join(cfg.DataDir, "audio-tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		tmp = "" // the system's temporary folder
	}
	proc := audio.New(audio.Config{FFmpeg: cfg.Audio.FFmpeg, FFprobe: cfg.Audio.FFprobe, TempDir: tmp})
	if err := proc.Err(); err != nil {
		log.Warn("loudspeaker audio is off: its routes answer 503 until ffmpeg is installed", "err", err)
	}
	d := scriptaudio.Deps{DB: db, Processor: proc, Items: items, Media: store, Now: o.Now, Log: log}
	httpc := ttsHTTP()
	switch cfg.Audio.Provider {
	case config.ProviderFPT:
		d.TTS = audio.NewFPT(audio.FPTConfig{APIKey: cfg.Audio.APIKey, URL: cfg.Audio.URL, Client: httpc, Joiner: proc, Poll: o.TTSPoll})
	case config.ProviderVbee:
		v := audio.NewVbee(audio.VbeeConfig{AppID: cfg.Audio.AppID, Token: cfg.Audio.APIKey, URL: cfg.Audio.URL,
			CallbackURL: cfg.BaseURL + scriptaudio.CallbackPath, CallbackSecret: []byte(cfg.Audio.CallbackSecret),
			Guard: scriptaudio.NewGuard(db, o.Now), Client: httpc, Poll: o.TTSPoll, Now: o.Now})
		d.TTS, d.Vbee = v, v
	case config.ProviderEspeak:
		e := audio.NewEspeak("")
		if err := e.Err(); err != nil {
			log.Warn("TTS_PROVIDER=espeak, but espeak-ng is missing: reading aloud answers 409", "err", err)
		}
		d.TTS = e
	}
	return scriptaudio.New(d)
}

// ttsHTTP is the text-to-speech providers' HTTP client: bounded waits, and
// a whole-request limit long enough to download a long script's audio on
// a commune's link.
func ttsHTTP() *http.Client {
	return &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   2,
			ForceAttemptHTTP2:     true,
		},
	}
}
