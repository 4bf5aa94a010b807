package config

import (
	"net"
	"net/url"
	"strings"
)

// Audio is the loudspeaker audio settings (SPEC §6.3): where ffmpeg is, and
// which text-to-speech provider reads scripts aloud, with its credentials.
type Audio struct {
	// Provider is TTS_PROVIDER: "fpt", "vbee", "espeak" or "" (none: the
	// editor's "read aloud" button is not offered and the API answers 409
	// tts_not_configured).
	Provider string
	// APIKey is TTS_API_KEY: FPT.AI's api_key, or Vbee's app token.
	APIKey string
	// AppID is TTS_APP_ID, Vbee's app id.
	AppID string
	// URL is TTS_URL, the provider's API ("" means its documented one).
	URL string
	// CallbackSecret is TTS_CALLBACK_SECRET: the key that signs the
	// callback URL given to Vbee (Vbee signs nothing itself).
	CallbackSecret string
	// FFmpeg and FFprobe are the programs the audio is made with
	// (LANTOA_FFMPEG, LANTOA_FFPROBE): names on PATH or paths.
	FFmpeg, FFprobe string
}

// TTS providers.
const (
	ProviderFPT    = "fpt"
	ProviderVbee   = "vbee"
	ProviderEspeak = "espeak"
)

// validateAudio checks the text-to-speech settings: a provider needs its
// credentials, so that a missing key stops the start instead of failing
// every request. A missing ffmpeg or espeak-ng does not: the audio routes
// then answer 503 or 409 naming the Debian package, and the rest runs.
func (c *Config) validateAudio(bad func(setting, format string, a ...any)) {
	a := &c.Audio
	a.Provider = strings.ToLower(strings.TrimSpace(a.Provider))
	switch a.Provider {
	case "", ProviderEspeak:
	case ProviderFPT:
		if a.APIKey == "" {
			bad("TTS_API_KEY", "is required with TTS_PROVIDER=fpt (the FPT.AI api_key)")
		}
	case ProviderVbee:
		if a.AppID == "" {
			bad("TTS_APP_ID", "is required with TTS_PROVIDER=vbee")
		}
		if a.APIKey == "" {
			bad("TTS_API_KEY", "is required with TTS_PROVIDER=vbee (the app's token)")
		}
		if len(a.CallbackSecret) < 16 {
			bad("TTS_CALLBACK_SECRET", "must be at least 16 characters with TTS_PROVIDER=vbee (it signs the callback URL)")
		}
		if u, err := url.Parse(c.BaseURL); err == nil && localHost(u.Hostname()) {
			c.Warnings = append(c.Warnings, "TTS_PROVIDER=vbee calls back LANTOA_BASE_URL ("+c.BaseURL+
				"), a local address Vbee cannot reach: finished audio is then fetched by polling, a little later")
		}
	default:
		bad("TTS_PROVIDER", "%q is not fpt, vbee, espeak or empty", a.Provider)
	}
	if a.URL != "" {
		if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("TTS_URL", "is not an http(s) URL")
		}
	}
	if strings.TrimSpace(a.FFmpeg) == "" {
		bad("LANTOA_FFMPEG", "must not be empty")
	}
	if strings.TrimSpace(a.FFprobe) == "" {
		bad("LANTOA_FFPROBE", "must not be empty")
	}
}

// localHost reports whether host is this machine or a private network's.
func localHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified())
}
