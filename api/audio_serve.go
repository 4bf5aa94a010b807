package api

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/scriptaudio"
)

// audioRoute is the route a station token's use of sounds is counted under.
const audioRoute = "GET /media/audio/:file"

// serveAudio serves /media/audio/<id>.mp3 with Range and ETag. The route is
// public because published scripts' sounds are (an IP loudspeaker system
// may fetch them without a token); who may hear the rest — as the script's
// rundown: the commune's editors, managers and admins, the operators and
// station tokens of a station it is read on — is decided here.
func (s *Server) serveAudio(c *gin.Context) {
	id, ok := strings.CutSuffix(c.Param("file"), ".mp3")
	if !ok {
		fail(c, s.Log, apperr.NotFound("audio"))
		return
	}
	snd, err := s.Audio.Open(c, s.audioViewer(c), id)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	h := c.Writer.Header()
	// The URL names exactly these bytes; a published sound may stop
	// being public (its script edited), so shared caches keep it a day.
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	if snd.Public {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		h.Set("Vary", "Authorization, Cookie")
	}
	h.Set("ETag", `"`+snd.SHA256+`"`)
	h.Set("Content-Type", "audio/mpeg")
	if etagMatch(c.GetHeader("If-None-Match"), `"`+snd.SHA256+`"`) {
		c.Status(http.StatusNotModified)
		return
	}
	data, err := s.Audio.Read(c, snd)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	// Ranges (a player seeking, a device resuming a download), If-Range
	// and HEAD, as net/http does them.
	http.ServeContent(c.Writer, c.Request, id+".mp3", snd.CreatedAt.Truncate(time.Second), bytes.NewReader(data))
}

// audioViewer is who asks: a station device's token (its stations), a
// signed-in user in the commune they act in (an operator kept to their
// stations), or the public.
func (s *Server) audioViewer(c *gin.Context) scriptaudio.Viewer {
	p, _, err := s.authenticate(c, false)
	if err != nil {
		return scriptaudio.Viewer{}
	}
	if p.TokenKind == accounts.KindStation {
		s.Accounts.NoteUse(p, audioRoute)
		return scriptaudio.Viewer{CommuneID: p.CommuneID, StationsOnly: true, Stations: p.StationIDs}
	}
	sc, err := edge.Authorize(c, s.Accounts, p, signedIn, c.Query("commune"))
	if err != nil {
		return scriptaudio.Viewer{} // served as the public
	}
	// An operator hears the scripts of their stations; the province reads
	// no rundowns, and hears what is published.
	only := p.Role == accounts.RoleOperator || p.Role == accounts.RoleProvince
	return scriptaudio.Viewer{CommuneID: sc.CommuneID, StationsOnly: only, Stations: p.StationIDs}
}
