package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/edge"
)

// errorData is the error page's content.
type errorData struct {
	Status  int
	Message string // catalogue key
	// RequestID is shown for 500s, so that a user can quote it.
	RequestID string
}

// fail answers a failed page with the edge's one mapping of domain errors
// (edge.Classify, which logs what is ours to look at): a page with the
// problem's catalogue message and status, the sign-in page for a caller
// not signed in, nothing for a caller who hung up.
func (s *Server) fail(c *gin.Context, err error) {
	p := edge.Classify(c, s.Log, err)
	switch p.Status {
	case edge.StatusClientClosedRequest:
		c.AbortWithStatus(p.Status)
	case http.StatusUnauthorized:
		s.toLogin(c)
	default:
		s.errorPage(c, p.Status, p.Key)
	}
}

// errorPage renders the error page with a catalogue message and stops the
// chain.
func (s *Server) errorPage(c *gin.Context, status int, key string) {
	d := errorData{Status: status, Message: key}
	if status >= 500 {
		d.RequestID = edge.RequestID(c)
	}
	s.render(c, status, pageError, s.newView(c, "error.title", d))
	c.Abort()
}
