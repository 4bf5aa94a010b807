package audio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lantoa/lantoa/apperr"
)

// FPT.AI TTS v5 facts (docs.fpt.ai/docs/en/speech/api/text-to-speech): POST
// the raw UTF-8 text as the body; headers api_key (required), voice,
// speed (-3 … +3), format (mp3 or wav); 3 to 5,000 characters a request.
// The JSON answer {"async": link, "error": 0, "message", "request_id"}
// names a file that "may not exist right at the time of response. Waiting
// time will be from 5 seconds to 2 minutes": the link answers 404 until it
// does. A non-zero "error" is a failure with a "message".
const (
	DefaultFPTURL = "https://api.fpt.ai/hmi/tts/v5"
	fptMaxChars   = 5000
	fptMinChars   = 3
	fptMaxAnswer  = 64 << 10
	maxAudioBytes = 64 << 20
)

// FPTVoices are the voices FPT.AI documents for TTS v5; the first is the
// default.
var FPTVoices = []string{"banmai", "lannhi", "leminh", "myan", "thuminh", "giahuy", "linhsan"}

// FPTConfig configures the FPT.AI provider.
type FPTConfig struct {
	APIKey string // TTS_API_KEY
	URL    string // TTS_URL; DefaultFPTURL when empty
	// Client makes the requests (http.DefaultClient when nil).
	Client *http.Client
	// Joiner joins the audio of a text longer than one request.
	Joiner *Processor
	// Poll paces the polling of each part's async link.
	Poll Poll
}

// FPT is the FPT.AI TTS v5 provider.
type FPT struct{ cfg FPTConfig }

// NewFPT returns the provider; without an API key, Synthesize answers
// ErrNotConfigured.
func NewFPT(cfg FPTConfig) *FPT {
	if cfg.URL == "" {
		cfg.URL = DefaultFPTURL
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	cfg.Poll = cfg.Poll.orDefault()
	return &FPT{cfg: cfg}
}

// Name returns "fpt".
func (f *FPT) Name() string { return "fpt" }

// Synthesize sends the text in parts of at most 5,000 characters, cut at
// sentence ends, polls each part's async link with backoff until it is
// ready, and joins the parts' MP3 with ffmpeg's concat demuxer.
func (f *FPT) Synthesize(ctx context.Context, text string, opt Options) ([]byte, error) {
	if f.cfg.APIKey == "" {
		return nil, notConfigured("fpt", "TTS_API_KEY is empty")
	}
	voice, speed, err := fptOptions(opt)
	if err != nil {
		return nil, err
	}
	parts := SplitText(text, fptMaxChars)
	if len(parts) == 0 || utf8.RuneCountInString(strings.Join(parts, " ")) < fptMinChars {
		return nil, apperr.Invalid("text", "at least %d characters are needed to synthesise speech", fptMinChars)
	}
	if len(parts) > 1 && f.cfg.Joiner == nil {
		return nil, notConfigured("fpt", "no audio processor to join the parts of a long text")
	}
	links := make([]string, len(parts))
	for i, p := range parts {
		if links[i], err = f.submit(ctx, p, voice, speed); err != nil {
			return nil, err
		}
	}
	audio := make([][]byte, len(parts))
	for i, link := range links {
		if audio[i], err = f.await(ctx, link); err != nil {
			return nil, err
		}
	}
	if len(audio) == 1 {
		return audio[0], nil
	}
	joined, err := f.cfg.Joiner.Join(ctx, audio)
	if err != nil {
		return nil, &TTSError{Provider: "fpt", Class: ErrTransient, Message: "joining the parts: " + err.Error()}
	}
	return joined, nil
}

// fptOptions maps Options to FPT's voice and speed headers.
func fptOptions(opt Options) (string, string, error) {
	voice := opt.Voice
	if voice == "" {
		voice = FPTVoices[0]
	}
	if !slices.Contains(FPTVoices, voice) {
		return "", "", apperr.Invalid("voice", "FPT.AI voices are %s", strings.Join(FPTVoices, ", "))
	}
	s := opt.Speed
	if s == 0 {
		s = 1
	}
	if s < MinSpeed || s > MaxSpeed {
		return "", "", apperr.Invalid("speed", "between %.1f and %.1f", MinSpeed, MaxSpeed)
	}
	// FPT's seven steps: ±0.15 of normal speed a step, −3 … +3.
	step := int(math.Round((s - 1) / 0.15))
	return voice, strconv.Itoa(max(-3, min(3, step))), nil
}

// fptAnswer is FPT's JSON answer to a synthesis request.
type fptAnswer struct {
	Async     string `json:"async"`
	Error     int    `json:"error"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// submit posts one part and returns its async link.
func (f *FPT) submit(ctx context.Context, text, voice, speed string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.cfg.URL, strings.NewReader(text))
	if err != nil {
		return "", notConfigured("fpt", "TTS_URL: "+err.Error())
	}
	// Set directly, not through Header.Set: FPT documents the header as
	// api_key, and canonical form would send Api_key.
	req.Header["api_key"] = []string{f.cfg.APIKey}
	req.Header["voice"] = []string{voice}
	req.Header["speed"] = []string{speed}
	req.Header["format"] = []string{"mp3"}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := f.cfg.Client.Do(req)
	if err != nil {
		return "", transportError(ctx, "fpt", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, fptMaxAnswer))
	var a fptAnswer
	jsonErr := json.Unmarshal(body, &a)
	if resp.StatusCode != http.StatusOK {
		msg := a.Message
		if jsonErr != nil {
			msg = strings.TrimSpace(string(bytes.ToValidUTF8(body[:min(len(body), 200)], nil)))
		}
		return "", classifyStatus("fpt", resp.StatusCode, "", msg)
	}
	if jsonErr != nil {
		return "", &TTSError{Provider: "fpt", Class: ErrTransient, Status: resp.StatusCode, Message: "answer is not JSON"}
	}
	if a.Error != 0 || a.Async == "" {
		return "", fptRefusal(a)
	}
	return a.Async, nil
}

// fptRefusal classifies a 200 answer with a non-zero error. FPT documents
// no list of codes, so the reason is read from the message.
func fptRefusal(a fptAnswer) error {
	e := &TTSError{Provider: "fpt", Class: ErrPermanent, Code: strconv.Itoa(a.Error), Message: a.Message}
	e.Reason = reasonFromMessage(a.Message)
	if e.Reason == nil && strings.Contains(a.Message, "5000") {
		e.Reason = ErrTextTooLong
	}
	return e
}

// await polls an async link until it serves audio.
func (f *FPT) await(ctx context.Context, link string) ([]byte, error) {
	var audio []byte
	var last error
	ok, err := f.cfg.Poll.until(ctx, func() (bool, error) {
		a, done, err := fetchAudio(ctx, f.cfg.Client, link, "")
		if err != nil && !isTransient(err) {
			return false, err
		}
		last, audio = err, a
		return done, nil
	})
	switch {
	case err != nil:
		return nil, err
	case !ok && last != nil:
		return nil, last
	case !ok:
		return nil, &TTSError{Provider: "fpt", Class: ErrTransient,
			Message: fmt.Sprintf("the audio was not ready within %s", f.cfg.Poll.Deadline)}
	}
	return audio, nil
}
