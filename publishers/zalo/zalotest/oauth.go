package zalotest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// token is POST /v4/oa/access_token with grant_type=refresh_token. A
// refresh rotates both tokens: the refresh token used and the previous
// access token stop working. Error codes of this endpoint are not
// documented; the ones here are stand-ins [?].
func (s *Server) token(w http.ResponseWriter, c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshCalls++
	oauthErr := func(code int, name, desc string) {
		writeJSON(w, map[string]any{"error": code, "error_name": name, "error_reason": desc, "error_description": desc})
	}
	switch {
	case c.Method != http.MethodPost || c.ContentType != "application/x-www-form-urlencoded":
		oauthErr(-14001, "Invalid request", "POST application/x-www-form-urlencoded expected")
	case c.SecretKey != s.AppSecret:
		oauthErr(-14002, "Invalid secret key", "secret_key header is wrong or missing")
	case c.Form.Get("app_id") != s.AppID:
		oauthErr(-14003, "Invalid app id", "app_id is wrong or missing")
	case c.Form.Get("grant_type") != "refresh_token":
		oauthErr(-14004, "Invalid grant type", "grant_type must be refresh_token")
	case c.Form.Get("refresh_token") == "" || c.Form.Get("refresh_token") != s.refresh:
		oauthErr(-14014, "Invalid refresh token", "Refresh token is invalid or has been used")
	default:
		s.refresh, s.access, s.accessExpired = secret("rt"), secret("at"), false
		writeJSON(w, map[string]string{"access_token": s.access, "refresh_token": s.refresh, "expires_in": "90000"})
	}
}

// reply writes the OA envelope with HTTP 200, as Zalo does even on errors.
func reply(w http.ResponseWriter, code int, msg string, data any) {
	env := map[string]any{"error": code, "message": msg}
	if data != nil {
		env["data"] = data
	}
	writeJSON(w, env)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

// readBody reads r's body: parsed for forms, raw otherwise.
func readBody(r *http.Request, ctype string) ([]byte, url.Values) {
	switch ctype {
	case "multipart/form-data":
		if r.ParseMultipartForm(8<<20) == nil {
			return nil, url.Values(r.MultipartForm.Value)
		}
		return nil, url.Values{}
	case "application/x-www-form-urlencoded":
		if r.ParseForm() == nil {
			return nil, r.PostForm
		}
		return nil, url.Values{}
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	return b, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
