package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/apperr"
)

// errorData is the error page's content.
type errorData struct {
	Status  int
	Message string // catalogue key
	// RequestID is shown for 500s, so that a user can quote it.
	RequestID string
}

// fail maps a domain error to an error page: the pages' counterpart of
// api/errors.go. Internal errors are logged with the request id and never
// shown.
func (s *Server) fail(c *gin.Context, err error) {
	var v *apperr.ValidationError
	switch {
	case api.ClientGone(c, err):
		s.Log.Info("page abandoned by the client", "request_id", api.RequestID(c), "route", c.FullPath(), "err", err)
		c.AbortWithStatus(api.StatusClientClosedRequest)
	case errors.Is(err, apperr.ErrUnauthenticated):
		s.toLogin(c)
	case errors.Is(err, apperr.ErrForbidden):
		s.errorPage(c, http.StatusForbidden, "error.forbidden")
	case errors.Is(err, apperr.ErrNotFound):
		s.errorPage(c, http.StatusNotFound, "error.not_found")
	case errors.Is(err, apperr.ErrConflict):
		s.errorPage(c, http.StatusConflict, "error.conflict")
	case errors.As(err, &v):
		s.errorPage(c, http.StatusBadRequest, "error.invalid")
	default:
		s.Log.Error("page failed", "request_id", api.RequestID(c), "route", c.FullPath(), "err", err)
		s.errorPage(c, http.StatusInternalServerError, "error.internal")
	}
}

// errorPage renders the error page with a catalogue message and stops the
// chain.
func (s *Server) errorPage(c *gin.Context, status int, key string) {
	d := errorData{Status: status, Message: key}
	if status >= 500 {
		d.RequestID = api.RequestID(c)
	}
	s.render(c, status, pageError, s.newView(c, "error.title", d))
	c.Abort()
}
