package zalotest

import "net/http"

// Kind is a failure the fake can be told to answer with.
type Kind int

const (
	// ExpiredToken expires the current access token: the next API call gets
	// -216 "Access token has expired".
	ExpiredToken Kind = iota + 1
	// RateLimit answers the next API call with -32.
	RateLimit
	// InvalidParam answers the next API call with -201.
	InvalidParam
	// UploadFailed answers the next article/verify with -200 "Upload media failed".
	UploadFailed
	// ServerError answers the next API call with HTTP 500 and no envelope.
	ServerError
)

// FailNext queues failures for the next API calls, one kind each.
// ExpiredToken and UploadFailed take effect as described on each kind.
func (s *Server) FailNext(kinds ...Kind) {
	for _, k := range kinds {
		switch k {
		case ExpiredToken:
			s.mu.Lock()
			s.accessExpired = true
			s.mu.Unlock()
		case UploadFailed:
			s.mu.Lock()
			s.failVerify = true
			s.mu.Unlock()
		default:
			s.Fake.FailNext(k)
		}
	}
}

// failQueued answers with the next queued failure, if any.
func (s *Server) failQueued(w http.ResponseWriter) bool {
	k, ok := s.NextFailure()
	if !ok {
		return false
	}
	switch k {
	case RateLimit:
		reply(w, -32, "Your OA reached limit call api", nil)
	case InvalidParam:
		reply(w, -201, "Parameters are invalid", nil)
	case ServerError:
		http.Error(w, "", http.StatusInternalServerError)
	}
	return true
}
