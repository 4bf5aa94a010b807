package audio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lantoa/lantoa/apperr"
)

// Vbee TTS API facts (api-docs.vbee.vn, "Text to speech (legacy)": Create
// speech, Get Request, Callback API): POST {URL} with "Authorization:
// Bearer <the app's token>" and a JSON body {app_id, response_type
// "indirect", callback_url (required), input_text, voice_code, audio_type
// mp3|wav, bitrate, speed_rate 0.1–1.9}; the answer is {status: 1, result:
// {request_id, status "IN_PROGRESS", …}} or {status: 0, error_code,
// error_message}. GET {URL}/{request_id} with the same token gives the
// request with status SUCCESS or FAILURE and its audio_link. When done,
// Vbee POSTs the request's fields (app_id, request_id, status, audio_link…)
// as JSON to callback_url. The documentation describes no signature of
// that callback.
const (
	DefaultVbeeURL   = "https://vbee.vn/api/v1/tts"
	DefaultVbeeVoice = "hn_female_ngochuyen_full_48k-fhg"
	vbeeMaxAnswer    = 64 << 10
)

// ErrPending means the provider has not finished the request yet.
var ErrPending = errors.New("the synthesis is not finished yet")

var vbeeVoicePattern = regexp.MustCompile(`^[a-z0-9_.-]{1,80}$`)

// VbeeConfig configures the Vbee provider.
type VbeeConfig struct {
	AppID string // TTS_APP_ID
	Token string // TTS_API_KEY: the app's bearer token
	URL   string // TTS_URL; DefaultVbeeURL when empty
	// CallbackURL is where Vbee posts results: LANTOA_BASE_URL plus the
	// route whose handler calls HandleCallback.
	CallbackURL string
	// CallbackSecret signs the callback URL (at least 16 bytes).
	CallbackSecret []byte
	// Guard refuses replayed callbacks (a MemoryGuard when nil).
	Guard  ReplayGuard
	Client *http.Client // http.DefaultClient when nil
	Poll   Poll
	Now    func() time.Time // time.Now when nil
}

// Vbee is the Vbee TTS provider.
type Vbee struct{ cfg VbeeConfig }

// NewVbee returns the provider. Missing settings make its methods answer
// ErrNotConfigured.
func NewVbee(cfg VbeeConfig) *Vbee {
	if cfg.URL == "" {
		cfg.URL = DefaultVbeeURL
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Guard == nil {
		cfg.Guard = NewMemoryGuard(cfg.Now, callbackTTL)
	}
	cfg.Poll = cfg.Poll.orDefault()
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	return &Vbee{cfg: cfg}
}

// Name returns "vbee".
func (v *Vbee) Name() string { return "vbee" }

func (v *Vbee) configured() error {
	switch {
	case v.cfg.AppID == "" || v.cfg.Token == "":
		return notConfigured("vbee", "TTS_APP_ID and TTS_API_KEY are needed")
	case v.cfg.CallbackURL == "":
		return notConfigured("vbee", "Vbee requires a callback URL: set LANTOA_BASE_URL")
	case len(v.cfg.CallbackSecret) < 16:
		return notConfigured("vbee", "the callback secret is shorter than 16 bytes")
	}
	return nil
}

// Synthesize submits the text and polls the request (Get Request) with
// backoff until Vbee has finished it, then downloads the audio. It does not
// need the callback to arrive; a callback that does arrive later is
// accepted once by HandleCallback and may be ignored.
func (v *Vbee) Synthesize(ctx context.Context, text string, opt Options) ([]byte, error) {
	id, err := v.Submit(ctx, text, opt)
	if err != nil {
		return nil, err
	}
	var audio []byte
	ok, err := v.cfg.Poll.until(ctx, func() (bool, error) {
		a, err := v.Fetch(ctx, id)
		if errors.Is(err, ErrPending) || isTransient(err) {
			return false, nil
		}
		audio = a
		return err == nil, err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &TTSError{Provider: "vbee", Class: ErrTransient, Code: id,
			Message: fmt.Sprintf("the audio was not ready within %s", v.cfg.Poll.Deadline)}
	}
	return audio, nil
}

// vbeeRequest is the Create speech body.
type vbeeRequest struct {
	AppID        string `json:"app_id"`
	ResponseType string `json:"response_type"`
	CallbackURL  string `json:"callback_url"`
	InputText    string `json:"input_text"`
	VoiceCode    string `json:"voice_code"`
	AudioType    string `json:"audio_type"`
	Bitrate      int    `json:"bitrate"`
	SpeedRate    string `json:"speed_rate"`
}

// vbeeAnswer is every Vbee JSON answer.
type vbeeAnswer struct {
	Status       int             `json:"status"`
	ErrorCode    json.RawMessage `json:"error_code"`
	ErrorMessage string          `json:"error_message"`
	Result       vbeeResult      `json:"result"`
}

type vbeeResult struct {
	AppID     string `json:"app_id"`
	RequestID string `json:"request_id"`
	Status    string `json:"status"`
	AudioLink string `json:"audio_link"`
}

// Submit starts a synthesis and returns Vbee's request id, which the caller
// keeps with the item: the callback names it.
func (v *Vbee) Submit(ctx context.Context, text string, opt Options) (string, error) {
	if err := v.configured(); err != nil {
		return "", err
	}
	body, err := v.request(text, opt)
	if err != nil {
		return "", err
	}
	a, err := v.call(ctx, http.MethodPost, v.cfg.URL, body)
	if err != nil {
		return "", err
	}
	if a.Result.RequestID == "" {
		return "", &TTSError{Provider: "vbee", Class: ErrTransient, Message: "no request_id in the answer"}
	}
	return a.Result.RequestID, nil
}

// request builds and validates the Create speech body.
func (v *Vbee) request(text string, opt Options) ([]byte, error) {
	voice := opt.Voice
	if voice == "" {
		voice = DefaultVbeeVoice
	}
	if !vbeeVoicePattern.MatchString(voice) {
		return nil, apperr.Invalid("voice", "a Vbee voice code such as %s", DefaultVbeeVoice)
	}
	s := opt.Speed
	if s == 0 {
		s = 1
	}
	if s < MinSpeed || s > MaxSpeed {
		return nil, apperr.Invalid("speed", "between %.1f and %.1f", MinSpeed, MaxSpeed)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apperr.Invalid("text", "there is no text to speak")
	}
	cb, err := v.callbackURL()
	if err != nil {
		return nil, err
	}
	return json.Marshal(vbeeRequest{AppID: v.cfg.AppID, ResponseType: "indirect", CallbackURL: cb,
		InputText: text, VoiceCode: voice, AudioType: "mp3", Bitrate: 128, SpeedRate: strconv.FormatFloat(s, 'f', 1, 64)})
}

// Fetch asks Vbee for a request (Get Request) and downloads its audio:
// ErrPending while Vbee works, a permanent TTSError when it failed.
func (v *Vbee) Fetch(ctx context.Context, requestID string) ([]byte, error) {
	if err := v.configured(); err != nil {
		return nil, err
	}
	if !requestIDPattern.MatchString(requestID) {
		return nil, &TTSError{Provider: "vbee", Class: ErrPermanent, Message: "malformed request id"}
	}
	a, err := v.call(ctx, http.MethodGet, v.cfg.URL+"/"+url.PathEscape(requestID), nil)
	if err != nil {
		return nil, err
	}
	r := a.Result
	switch {
	case r.RequestID != requestID || (r.AppID != "" && r.AppID != v.cfg.AppID):
		return nil, &TTSError{Provider: "vbee", Class: ErrPermanent, Code: requestID, Message: "Vbee answered for another request or app"}
	case r.Status == "FAILURE":
		return nil, &TTSError{Provider: "vbee", Class: ErrPermanent, Code: requestID, Message: "Vbee could not synthesise the text"}
	case r.Status != "SUCCESS":
		return nil, ErrPending
	}
	audio, done, err := fetchAudio(ctx, v.cfg.Client, r.AudioLink, "")
	switch {
	case err != nil:
		return nil, err
	case !done:
		return nil, &TTSError{Provider: "vbee", Class: ErrPermanent, Code: requestID, Message: "the audio link has expired"}
	}
	return audio, nil
}

// call sends one authorised request to Vbee's API and classifies failures.
func (v *Vbee) call(ctx context.Context, method, target string, body []byte) (vbeeAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return vbeeAnswer{}, notConfigured("vbee", "TTS_URL: "+err.Error())
	}
	req.Header.Set("Authorization", "Bearer "+v.cfg.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.cfg.Client.Do(req)
	if err != nil {
		return vbeeAnswer{}, transportError(ctx, "vbee", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, vbeeMaxAnswer))
	var a vbeeAnswer
	jsonErr := json.Unmarshal(raw, &a)
	code := strings.Trim(string(a.ErrorCode), `"`)
	if resp.StatusCode != http.StatusOK {
		e := classifyStatus("vbee", resp.StatusCode, code, a.ErrorMessage)
		if e.Class == ErrPermanent && e.Reason == nil {
			e.Reason = reasonFromMessage(a.ErrorMessage)
		}
		return a, e
	}
	if jsonErr != nil {
		return a, &TTSError{Provider: "vbee", Class: ErrTransient, Status: resp.StatusCode, Message: "answer is not JSON"}
	}
	if a.Status != 1 {
		return a, &TTSError{Provider: "vbee", Class: ErrPermanent, Code: code, Message: a.ErrorMessage,
			Reason: reasonFromMessage(a.ErrorMessage)}
	}
	return a, nil
}

// reasonFromMessage reads a refusal's reason from a provider's message:
// neither FPT nor Vbee publishes a list of error codes.
func reasonFromMessage(msg string) error {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "quota") || strings.Contains(m, "credit") || strings.Contains(m, "hết ký tự") ||
		strings.Contains(m, "not enough characters"):
		return ErrQuota
	case strings.Contains(m, "too long") || strings.Contains(m, "vượt quá"):
		return ErrTextTooLong
	case strings.Contains(m, "token") || strings.Contains(m, "api key") || strings.Contains(m, "api_key") ||
		strings.Contains(m, "unauthorized"):
		return ErrCredentials
	}
	return nil
}
