package edge

import (
	"errors"
	"net/http"
	"time"

	"github.com/lantoa/lantoa/audio"
)

// audioProblem maps the refusals of loudspeaker sound (SPEC §6.3): a file
// that is no sound, too big or too long, damaged or silent; the audio tools
// missing (503 naming the Debian package: an administrator installs it);
// no text-to-speech provider (409 tts_not_configured); Vbee callbacks that
// cannot be verified or come twice.
func audioProblem(err error) (Problem, bool) {
	switch {
	case errors.Is(err, audio.ErrUnavailable):
		return Problem{Status: http.StatusServiceUnavailable, Code: "audio_unavailable", Key: "au.unavailable",
			Message: "Máy chủ chưa có công cụ âm thanh: quản trị cần cài gói Debian ffmpeg (apt-get install ffmpeg). " +
				"(The audio tools are not installed: install the Debian package ffmpeg.)"}, true
	case errors.Is(err, audio.ErrUnsupported):
		return Problem{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Key: "au.bad_format",
			Message: "Chỉ nhận âm thanh WAV, MP3, OGG/Opus, WebM/Opus hoặc M4A/AAC. (Only WAV, MP3, OGG/Opus, WebM/Opus and M4A/AAC audio is accepted.)"}, true
	case errors.Is(err, audio.ErrTooLarge):
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Key: "au.too_large",
			Message: "Tệp âm thanh lớn hơn 50 MB. (The audio file is larger than 50 MB.)"}, true
	case errors.Is(err, audio.ErrTooLong):
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "too_long", Key: "au.too_long",
			Message: "Bản ghi dài hơn 20 phút. (The recording is longer than 20 minutes.)"}, true
	case errors.Is(err, audio.ErrCorrupt):
		return Problem{Status: http.StatusUnprocessableEntity, Code: "corrupt_audio", Key: "au.corrupt",
			Message: "Không đọc được tệp âm thanh: tệp bị hỏng hoặc không đầy đủ. (The audio file is damaged or incomplete.)"}, true
	case errors.Is(err, audio.ErrSilent):
		return Problem{Status: http.StatusUnprocessableEntity, Code: "silent_audio", Key: "au.silent",
			Message: "Bản ghi không có tiếng: hãy kiểm tra micrô rồi ghi lại. (The recording is silent: check the microphone and record again.)"}, true
	case errors.Is(err, audio.ErrNotConfigured):
		msg := "Chưa cài đặt dịch vụ đọc tự động (TTS_PROVIDER). (Text to speech is not configured.)"
		var te *audio.TTSError
		if errors.As(err, &te) && te.Provider == "espeak" {
			msg = "Máy chủ chưa có espeak-ng: quản trị cần cài gói Debian espeak-ng. (espeak-ng is not installed: install the Debian package espeak-ng.)"
		}
		return Problem{Status: http.StatusConflict, Code: "tts_not_configured", Key: "au.tts_not_configured", Message: msg}, true
	case errors.Is(err, audio.ErrUnverified):
		return Problem{Status: http.StatusForbidden, Code: "unverified", Key: "error.forbidden", Message: "the callback could not be verified"}, true
	case errors.Is(err, audio.ErrReplayed):
		return Problem{Status: http.StatusConflict, Code: "replayed", Key: "error.conflict", Message: "this callback was already taken"}, true
	case errors.Is(err, audio.ErrTransient):
		return Problem{Status: http.StatusServiceUnavailable, Code: "tts_unavailable", Key: "au.tts_unavailable", RetryAfter: time.Minute,
			Message: "Dịch vụ đọc tự động tạm thời không trả lời. (The text-to-speech provider is not answering for now.)"}, true
	}
	return Problem{}, false
}
