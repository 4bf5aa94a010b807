package facebooktest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Kind is a failure the fake can be told to answer with (reference §A.4).
type Kind int

const (
	// Transient: code 2, is_transient, HTTP 500 with the error object.
	Transient Kind = iota + 1
	// Throttled: code 32 (Page-level), usage headers at 100 % with
	// estimated_time_to_regain_access (SetRegainMinutes).
	Throttled
	// ThrottledApp: code 4 (app-level), X-App-Usage at 100 % and no estimate.
	ThrottledApp
	// ExpiredToken: 190/463; the token stays dead until RenewToken.
	ExpiredToken
	// InvalidToken: 190/467; the token stays dead until RenewToken.
	InvalidToken
	// Blocked: 368, temporarily blocked for policy violations.
	Blocked
	// Permanent: 100, invalid parameter.
	Permanent
	// Duplicate: 506, duplicate status message.
	Duplicate
	// ServerError: HTTP 503 with an empty body.
	ServerError
)

// apiError is the Graph API error object.
type apiError struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode,omitempty"`
	IsTransient *bool  `json:"is_transient,omitempty"`
	TraceID     string `json:"fbtrace_id"`
}

// writeError answers status with {"error":{…}}.
func (s *Server) writeError(w http.ResponseWriter, status int, e apiError) {
	e.TraceID = fmt.Sprintf("AfakeTrace%06d", s.trace.Add(1))
	if e.Code == 190 {
		w.Header().Set("WWW-Authenticate", `OAuth "Facebook Platform" "invalid_token" "`+e.Message+`"`)
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]apiError{"error": e})
}

// failQueued answers with the next queued failure (FailNext), if any.
// ExpiredToken and InvalidToken kill the token for good, as the real API
// does, until RenewToken.
func (s *Server) failQueued(w http.ResponseWriter) bool {
	k, ok := s.NextFailure()
	if !ok {
		return false
	}
	s.mu.Lock()
	if k == ExpiredToken || k == InvalidToken {
		s.tokenState = k
	}
	regain := s.regainMin
	s.mu.Unlock()
	s.writeFailure(w, k, s.pageID, regain)
	return true
}

// writeFailure answers with failure k.
func (s *Server) writeFailure(w http.ResponseWriter, k Kind, pageID string, regainMin int) {
	yes, no := true, false
	switch k {
	case Transient:
		s.writeError(w, http.StatusInternalServerError, apiError{Code: 2, Type: "OAuthException", IsTransient: &yes,
			Message: "An unexpected error has occurred. Please retry your request later."})
	case Throttled:
		w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(
			`{"%s":[{"type":"pages","call_count":100,"total_cputime":40,"total_time":60,"estimated_time_to_regain_access":%d}]}`,
			pageID, regainMin))
		s.writeError(w, http.StatusBadRequest, apiError{Code: 32, Type: "OAuthException", IsTransient: &yes,
			Message: "(#32) Page request limit reached"})
	case ThrottledApp:
		w.Header().Set("X-App-Usage", `{"call_count":100,"total_cputime":30,"total_time":35}`)
		s.writeError(w, http.StatusBadRequest, apiError{Code: 4, Type: "OAuthException", IsTransient: &yes,
			Message: "(#4) Application request limit reached"})
	case ExpiredToken:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 190, Subcode: 463, Type: "OAuthException",
			Message: "Error validating access token: Session has expired on Tuesday, 24-Nov-26 10:00:00 PST."})
	case InvalidToken:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 190, Subcode: 467, Type: "OAuthException",
			Message: "Error validating access token: The session is invalid because the user logged out."})
	case Blocked:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 368, Type: "OAuthException", IsTransient: &no,
			Message: "The action attempted has been deemed abusive or is otherwise disallowed"})
	case Permanent:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "OAuthException", IsTransient: &no,
			Message: "(#100) Invalid parameter"})
	case Duplicate:
		s.writeError(w, http.StatusBadRequest, apiError{Code: 506, Type: "OAuthException", IsTransient: &no,
			Message: "(#506) Duplicate status message"})
	case ServerError:
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}
