package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/audio"
)

// vbeeCallback takes Vbee's callback of a finished synthesis (public: Vbee
// signs nothing, so the request is verified by the signature in its URL
// and by asking Vbee itself; scriptaudio.Service.VbeeCallback). 204 when
// taken; 403 unverified, 409 replayed, 404 when Vbee is not the provider.
func (s *Server) vbeeCallback(c *gin.Context) {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, audio.MaxCallbackBytes+1))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.Audio.VbeeCallback(c, c.Request.URL, body); err != nil {
		if errors.Is(err, audio.ErrUnverified) || errors.Is(err, audio.ErrReplayed) {
			s.Log.Warn("Vbee callback refused", "err", err)
		}
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
