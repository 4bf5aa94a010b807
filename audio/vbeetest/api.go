package vbeetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/audio/internal/soundgen"
)

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
