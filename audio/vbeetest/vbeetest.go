// Package vbeetest is a fake Vbee TTS server for tests, behaving as Vbee's
// documentation says (api-docs.vbee.vn, "Text to speech (legacy)"):
//
//   - POST /api/v1/tts with "Authorization: Bearer <token>" and a JSON body
//     {app_id, response_type, callback_url (required), input_text,
//     voice_code, audio_type, bitrate, speed_rate} answers {status: 1,
//     result: {request_id, status: "IN_PROGRESS", …}};
//   - GET /api/v1/tts/{request_id} with the token answers the request, with
//     status SUCCESS or FAILURE and audio_link when done;
//   - when a request is done the fake POSTs its fields as JSON to its
//     callback_url, exactly as given (Vbee signs nothing: the only
//     signature is the one the client put in its own URL), and Replay sends
//     the same callback again.
//
// Failures answer {status: 0, error_code, error_message}: a wrong token
// with HTTP 401, a wrong app id or an invalid field with HTTP 400, a used-up
// quota and a text over the limit with HTTP 200 and status 0. Vbee
// publishes no table of codes; the codes and messages are the fake's own.
package vbeetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/audio/internal/soundgen"
)

// Path is where the fake serves the TTS API.
const Path = "/api/v1/tts"

// Server is the fake.
type Server struct {
	*httptest.Server
	AppID, Token string

	ffmpeg string
	client *http.Client
	mu     sync.Mutex
	jobs   map[string]*job
	order  []string
	polls  int // GETs that answer IN_PROGRESS before SUCCESS
	quota  int
	max    int
	fail   bool
	sent   []Callback
	notify chan struct{}
}

// Callback is one callback the fake sent.
type Callback struct {
	URL    string
	Body   []byte
	Status int // the HTTP status the receiver answered; 0 if unreachable
}

type job struct {
	ID, CallbackURL, Text, Voice, AudioType, Speed string
	Bitrate                                        int
	Status                                         string
	pollsLeft                                      int
	audio                                          []byte
	created                                        time.Time
	callback                                       []byte
}

// New starts the fake for one app. It needs ffmpeg (it renders real MP3)
// and skips the test without it. It is closed when the test ends.
func New(t testing.TB, appID, token string) *Server {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skipf("ffmpeg is not installed (apt-get install ffmpeg): %v", err)
	}
	s := &Server{AppID: appID, Token: token, ffmpeg: ffmpeg, client: &http.Client{Timeout: 10 * time.Second},
		jobs: map[string]*job{}, quota: -1, max: 100000, notify: make(chan struct{}, 1)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// TTSURL is the API's URL, for VbeeConfig.URL.
func (s *Server) TTSURL() string { return s.URL + Path }

// SetPendingPolls makes each new request answer IN_PROGRESS to n GETs
// before it succeeds (and its callback is sent).
func (s *Server) SetPendingPolls(n int) { s.mu.Lock(); s.polls = n; s.mu.Unlock() }

// SetQuota leaves chars characters on the account (−1: unlimited).
func (s *Server) SetQuota(chars int) { s.mu.Lock(); s.quota = chars; s.mu.Unlock() }

// SetMaxChars sets the longest accepted input_text.
func (s *Server) SetMaxChars(n int) { s.mu.Lock(); s.max = n; s.mu.Unlock() }

// FailNext makes the next request end in FAILURE.
func (s *Server) FailNext() { s.mu.Lock(); s.fail = true; s.mu.Unlock() }

// RequestIDs returns the ids of the accepted requests, oldest first.
func (s *Server) RequestIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.order...)
}

// Text returns the input_text of a request.
func (s *Server) Text(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.jobs[id]; j != nil {
		return j.Text
	}
	return ""
}

// Callbacks returns the callbacks sent so far.
func (s *Server) Callbacks() []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Callback(nil), s.sent...)
}

// WaitCallbacks waits until n callbacks were sent or ctx ends.
func (s *Server) WaitCallbacks(ctx context.Context, n int) error {
	for {
		if len(s.Callbacks()) >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vbeetest: %d callbacks sent, waited for %d: %w", len(s.Callbacks()), n, ctx.Err())
		case <-s.notify:
		}
	}
}

// Replay sends request id's callback again, as a retrying provider or an
// attacker who captured it would, and returns the receiver's status.
func (s *Server) Replay(ctx context.Context, id string) (int, error) {
	s.mu.Lock()
	j := s.jobs[id]
	s.mu.Unlock()
	if j == nil || j.callback == nil {
		return 0, fmt.Errorf("vbeetest: no callback was sent for %q", id)
	}
	return s.post(ctx, j.CallbackURL, j.callback), nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == Path:
		s.create(w, r)
	case strings.HasPrefix(r.URL.Path, Path+"/"):
		s.get(w, r, strings.TrimPrefix(r.URL.Path, Path+"/"))
	case strings.HasPrefix(r.URL.Path, "/audio/"):
		s.audio(w, r, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/audio/"), ".mp3"))
	default:
		http.NotFound(w, r)
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func refuse(w http.ResponseWriter, status, code int, msg string) {
	reply(w, status, map[string]any{"status": 0, "error_code": code, "error_message": msg})
}

func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+s.Token {
		refuse(w, http.StatusUnauthorized, 401, "Unauthorized: the token is invalid or expired")
		return false
	}
	return true
}

// createBody is the documented Create speech body.
type createBody struct {
	AppID        string          `json:"app_id"`
	ResponseType string          `json:"response_type"`
	CallbackURL  string          `json:"callback_url"`
	InputText    string          `json:"input_text"`
	VoiceCode    string          `json:"voice_code"`
	AudioType    string          `json:"audio_type"`
	Bitrate      json.Number     `json:"bitrate"`
	SpeedRate    json.RawMessage `json:"speed_rate"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuse(w, http.StatusMethodNotAllowed, 405, "Method not allowed")
		return
	}
	if !s.authorised(w, r) {
		return
	}
	var b createBody
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.UseNumber()
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || dec.Decode(&b) != nil {
		refuse(w, http.StatusBadRequest, 400, "The body must be JSON")
		return
	}
	j, code, msg := s.validate(b)
	if msg != "" {
		refuse(w, code, 1000+code, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := utf8.RuneCountInString(j.Text)
	switch {
	case n > s.max:
		refuse(w, http.StatusOK, 1413, fmt.Sprintf("input_text is too long: %d characters, at most %d", n, s.max))
		return
	case s.quota >= 0 && n > s.quota:
		refuse(w, http.StatusOK, 1402, "Not enough characters left in your package (quota)")
		return
	case s.quota >= 0:
		s.quota -= n
	}
	j.ID = fmt.Sprintf("9bc63cb3-7c80-4e61-8cda-%012d", len(s.order)+1)
	j.Status, j.pollsLeft, j.created = "IN_PROGRESS", s.polls, time.Now().UTC()
	if s.fail {
		j.Status, s.fail = "FAILURE", false
	}
	s.jobs[j.ID] = j
	s.order = append(s.order, j.ID)
	reply(w, http.StatusOK, map[string]any{"status": 1, "result": s.result(j)})
	if j.pollsLeft == 0 {
		go s.finish(j.ID)
	}
}

// validate checks a Create speech body as Vbee documents it.
func (s *Server) validate(b createBody) (*job, int, string) {
	u, err := url.Parse(b.CallbackURL)
	speed := strings.Trim(string(b.SpeedRate), `"`)
	sp, spErr := strconv.ParseFloat(speed, 64)
	bitrate, brErr := strconv.Atoi(b.Bitrate.String())
	switch {
	case b.AppID != s.AppID:
		return nil, http.StatusBadRequest, "app_id is invalid"
	case b.CallbackURL == "" || err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https"):
		return nil, http.StatusBadRequest, "callback_url is required and must be an absolute URL"
	case strings.TrimSpace(b.InputText) == "" || b.VoiceCode == "":
		return nil, http.StatusBadRequest, "input_text and voice_code are required"
	case b.AudioType != "" && b.AudioType != "mp3" && b.AudioType != "wav":
		return nil, http.StatusBadRequest, "audio_type must be mp3 or wav"
	case speed != "" && (spErr != nil || sp < 0.1 || sp > 1.9 || len(speed) > 3):
		return nil, http.StatusBadRequest, "speed_rate must be from 0.1 to 1.9 with one decimal"
	case b.Bitrate != "" && (brErr != nil || !strings.Contains(",8,16,32,64,128,160,", ","+b.Bitrate.String()+",")):
		return nil, http.StatusBadRequest, "bitrate must be one of 8, 16, 32, 64, 128, 160"
	}
	return &job{CallbackURL: b.CallbackURL, Text: b.InputText, Voice: b.VoiceCode, AudioType: b.AudioType,
		Speed: speed, Bitrate: bitrate}, 0, ""
}

// result is a request as Get Request and the callback show it.
func (s *Server) result(j *job) map[string]any {
	r := map[string]any{"app_id": s.AppID, "request_id": j.ID, "characters": utf8.RuneCountInString(j.Text),
		"voice_code": j.Voice, "audio_type": "mp3", "speed_rate": j.Speed, "bitrate": j.Bitrate,
		"sample_rate": "22050", "created_at": j.created.Format("2006-01-02T15:04:05.000Z"), "status": j.Status}
	if j.Status == "SUCCESS" {
		r["audio_link"] = s.URL + "/audio/" + j.ID + ".mp3"
		r["audio_expired"] = false
	}
	return r
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, id string) {
	if r.Method != http.MethodGet {
		refuse(w, http.StatusMethodNotAllowed, 405, "Method not allowed")
		return
	}
	if !s.authorised(w, r) {
		return
	}
	s.mu.Lock()
	j := s.jobs[id]
	if j == nil {
		s.mu.Unlock()
		refuse(w, http.StatusNotFound, 404, "Request not found")
		return
	}
	if j.pollsLeft > 0 {
		j.pollsLeft--
		if j.pollsLeft == 0 {
			go s.finish(id)
		}
	}
	res := s.result(j)
	s.mu.Unlock()
	reply(w, http.StatusOK, map[string]any{"status": 1, "result": res})
}

// finish renders a request's audio, marks it done and calls back.
func (s *Server) finish(id string) {
	s.mu.Lock()
	j := s.jobs[id]
	failed := j.Status == "FAILURE"
	s.mu.Unlock()
	if !failed {
		seconds := 0.06 * float64(utf8.RuneCountInString(j.Text))
		audio, err := soundgen.Generate(context.Background(), s.ffmpeg,
			soundgen.Spec{Seconds: seconds, Hz: 330, PeakDBFS: -10, Rate: 22050, Format: "mp3"})
		s.mu.Lock()
		if err != nil {
			j.Status = "FAILURE"
		} else {
			j.Status, j.audio = "SUCCESS", audio
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	body, _ := json.Marshal(s.result(j))
	j.callback = body
	s.mu.Unlock()
	s.post(context.Background(), j.CallbackURL, body)
}

// post delivers a callback and records it.
func (s *Server) post(ctx context.Context, target string, body []byte) int {
	status := 0
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		if resp, err := s.client.Do(req); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
	}
	s.mu.Lock()
	s.sent = append(s.sent, Callback{URL: target, Body: body, Status: status})
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return status
}

func (s *Server) audio(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	j := s.jobs[id]
	var audio []byte
	if j != nil {
		audio = j.audio
	}
	s.mu.Unlock()
	if audio == nil || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	_, _ = w.Write(audio)
}
