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
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"sync"
	"testing"
	"time"
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
