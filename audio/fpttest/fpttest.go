// Package fpttest is a fake FPT.AI TTS v5 server for tests, behaving as
// FPT's documentation says (docs.fpt.ai/docs/en/speech/api/text-to-speech):
// POST /hmi/tts/v5 with the raw UTF-8 text as the body and the api_key,
// voice, speed and format headers; 3 to 5,000 characters; a JSON answer
// {"async", "error", "message", "request_id"} whose async link answers 404
// until the file is ready, then the audio.
//
// FPT documents no list of error codes, only that a non-zero "error" is a
// failure with a "message". The fake answers a missing or wrong key with
// HTTP 401 and a JSON message (as the API gateway does), a throttled
// client with HTTP 429, and refuses a too long text, an unknown voice and
// a used-up quota with HTTP 200 and a non-zero "error"; the messages are
// the fake's own.
package fpttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/lantoa/lantoa/audio/internal/soundgen"
)

// Path is where the fake serves synthesis.
const Path = "/hmi/tts/v5"

// Voices are the voices FPT documents.
var Voices = []string{"banmai", "lannhi", "leminh", "myan", "thuminh", "giahuy", "linhsan"}

// Server is the fake. Its exported fields may be changed between requests
// under no lock only before the first request; use the setters after.
type Server struct {
	*httptest.Server
	// APIKey is the only key accepted.
	APIKey string
	// SecondsPerChar sets the length of the generated speech (0.06 s a
	// character, about a Vietnamese newsreader's pace, by default).
	SecondsPerChar float64

	ffmpeg string
	mu     sync.Mutex
	// notReady is how many more times each new link answers 404.
	notReady int
	throttle int
	quota    int
	requests []Request
	pending  map[string]*job
	linkGets int
	maxChars int
}

// Request is one synthesis request the fake accepted or refused.
type Request struct {
	Text, Voice, Speed, Format string
}

type job struct {
	chars    int
	notReady int
	audio    []byte
}

// New starts the fake with key as its one valid API key; every async link
// answers 404 notReady times before it serves the audio. The fake is closed
// when the test ends. It needs ffmpeg (to make real MP3 audio) and skips
// the test without it.
func New(t testing.TB, key string, notReady int) *Server {
	t.Helper()
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skipf("ffmpeg is not installed (apt-get install ffmpeg): %v", err)
	}
	s := &Server{APIKey: key, SecondsPerChar: 0.06, ffmpeg: ffmpeg, notReady: notReady,
		quota: -1, maxChars: 5000, pending: map[string]*job{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL of the synthesis endpoint, for FPTConfig.URL.
func (s *Server) TTSURL() string { return s.URL + Path }

// SetNotReady changes how many 404s new links answer first.
func (s *Server) SetNotReady(n int) { s.mu.Lock(); s.notReady = n; s.mu.Unlock() }

// Throttle makes the next n synthesis requests answer 429.
func (s *Server) Throttle(n int) { s.mu.Lock(); s.throttle = n; s.mu.Unlock() }

// SetQuota leaves chars characters on the account (−1: unlimited).
func (s *Server) SetQuota(chars int) { s.mu.Lock(); s.quota = chars; s.mu.Unlock() }

// SetMaxChars changes the per-request character limit (5,000 as
// documented), to reproduce a provider that lowered it.
func (s *Server) SetMaxChars(n int) { s.mu.Lock(); s.maxChars = n; s.mu.Unlock() }

// Requests returns the synthesis requests received, refused ones included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// LinkGets returns how many times async links were fetched.
func (s *Server) LinkGets() int { s.mu.Lock(); defer s.mu.Unlock(); return s.linkGets }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == Path:
		s.synthesize(w, r)
	case len(r.URL.Path) > len("/file/") && r.URL.Path[:len("/file/")] == "/file/":
		s.file(w, r)
	default:
		http.NotFound(w, r)
	}
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type reply struct {
	Async     string `json:"async"`
	Error     int    `json:"error"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

func (s *Server) synthesize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		answer(w, http.StatusMethodNotAllowed, map[string]string{"message": "Method Not Allowed"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		answer(w, http.StatusBadRequest, map[string]string{"message": "unreadable body"})
		return
	}
	req := Request{Text: string(body), Voice: r.Header.Get("voice"), Speed: r.Header.Get("speed"), Format: r.Header.Get("format")}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if key := r.Header.Get("api_key"); key == "" || key != s.APIKey {
		answer(w, http.StatusUnauthorized, map[string]string{"message": "Invalid authentication credentials"})
		return
	}
	if s.throttle > 0 {
		s.throttle--
		answer(w, http.StatusTooManyRequests, map[string]string{"message": "API rate limit exceeded"})
		return
	}
	if msg := check(req, s.maxChars); msg != "" {
		answer(w, http.StatusOK, reply{Error: 1, Message: msg})
		return
	}
	n := utf8.RuneCountInString(req.Text)
	if s.quota >= 0 && n > s.quota {
		answer(w, http.StatusOK, reply{Error: 1, Message: "Your character quota is used up"})
		return
	}
	if s.quota >= 0 {
		s.quota -= n
	}
	id := strconv.Itoa(len(s.requests))
	s.pending[id] = &job{chars: n, notReady: s.notReady}
	answer(w, http.StatusOK, reply{Async: s.URL + "/file/" + id + ".mp3", Message: "The content will be returned after a few seconds under the async link.", RequestID: "req-" + id})
}

// check validates a request as FPT documents it; "" means valid.
func check(req Request, maxChars int) string {
	if !utf8.ValidString(req.Text) {
		return "The body must be UTF-8 text"
	}
	switch n := utf8.RuneCountInString(req.Text); {
	case n < 3:
		return "Text must have at least 3 characters"
	case n > maxChars:
		return fmt.Sprintf("Text is too long: %d characters, the limit is %d", n, maxChars)
	}
	if req.Voice != "" && !slices.Contains(Voices, req.Voice) {
		return "Unknown voice " + strconv.Quote(req.Voice)
	}
	if sp, err := strconv.Atoi(req.Speed); req.Speed != "" && (err != nil || sp < -3 || sp > 3) {
		return "Speed must be an integer from -3 to 3"
	}
	if req.Format != "" && req.Format != "mp3" && req.Format != "wav" {
		return "Format must be mp3 or wav"
	}
	return ""
}

// file serves an async link: 404 while not ready, then MP3 audio whose
// length follows the text's.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Path[len("/file/"):]
	if len(id) > 4 && id[len(id)-4:] == ".mp3" {
		id = id[:len(id)-4]
	}
	s.mu.Lock()
	s.linkGets++
	j, ok := s.pending[id]
	if ok && j.notReady > 0 {
		j.notReady--
		ok = false
	}
	s.mu.Unlock()
	if !ok || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	audio, err := s.render(r.Context(), j)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	_, _ = w.Write(audio)
}

// render makes (once) a job's MP3: a tone as long as the text would take
// to read.
func (s *Server) render(ctx context.Context, j *job) ([]byte, error) {
	s.mu.Lock()
	audio := j.audio
	s.mu.Unlock()
	if audio != nil {
		return audio, nil
	}
	audio, err := soundgen.Generate(ctx, s.ffmpeg, soundgen.Spec{Seconds: float64(j.chars) * s.SecondsPerChar,
		Hz: 220 + float64(j.chars%400), PeakDBFS: -12, Rate: 22050, Format: "mp3"})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	j.audio = audio
	s.mu.Unlock()
	return audio, nil
}
