package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/dispatch"
)

// channelsData is the channels page (SPEC §3E): each channel's state for
// the commune, in plain words, and for admins the button that resumes a
// paused channel once its credential is reconnected. It never shows a
// credential: the dispatcher's statuses carry none, and the technical detail
// is scrubbed of anything token-like besides.
type channelsData struct {
	Channels []channelRow
	// Focus is the channel the page was opened for (?channel=).
	Focus  string
	Notice string // catalogue key
}

type channelRow struct {
	Code, NameKey, StatusKey, Class string
	Configured, Healthy, Paused     bool
	// HealthKey says in words whether the channel reaches its platform:
	// never "yes" for the outbox or a channel that is not set up.
	HealthKey string
	// Plain says what is wrong and what to do, in plain words; Detail is the
	// platform's message, for whoever fixes it.
	Plain, Detail string
	Until         string
	Usage         string
	// ResumeURL is set for admins when the channel is paused.
	ResumeURL string
	// ManualURL is the queue of posts to make by hand, for a channel a
	// person publishes, shown to those who may open it.
	ManualURL string
}

// channelsPage lists the channels' statuses.
func (s *Server) channelsPage(c *gin.Context) {
	list, err := s.Dispatch.ChannelStatuses(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "ch.title", nil)
	d := channelsData{Focus: c.Query("channel")}
	if c.Query("resumed") != "" {
		d.Notice = "ch.resumed"
	}
	for _, st := range list {
		d.Channels = append(d.Channels, s.channelRow(v, st))
	}
	// Channels needing attention first, in their usual order otherwise.
	rank := map[string]int{"bad": 0, "warn": 1}
	slices.SortStableFunc(d.Channels, func(a, b channelRow) int {
		ra, oka := rank[a.Class]
		rb, okb := rank[b.Class]
		if !oka {
			ra = 2
		}
		if !okb {
			rb = 2
		}
		return ra - rb
	})
	v.Data = d
	s.render(c, http.StatusOK, pageChannels, v)
}

// resumeChannel lifts a channel's pause with Dispatcher.Resume, as POST
// /api/v1/channels/:channel/resume does.
func (s *Server) resumeChannel(c *gin.Context) {
	ch := c.Param("id")
	if _, err := s.Dispatch.Resume(c, principal(c).Username, ch); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, withCommune("/admin/channels?"+url.Values{"resumed": {ch}}.Encode(), c.Query("commune")))
}

func (s *Server) channelRow(v *view, st dispatch.ChannelStatus) channelRow {
	r := channelRow{Code: st.Channel, NameKey: "channel." + st.Channel, Configured: st.Configured, Healthy: st.Healthy,
		Paused: st.Paused, Detail: scrubSecret(st.LastError)}
	r.StatusKey = "ch.status." + st.Status
	r.HealthKey = "ch.no"
	if st.Healthy {
		r.HealthKey = "ch.yes"
	}
	if _, ok := v.cat[r.StatusKey]; !ok {
		r.StatusKey = "ch.status.failing"
	}
	until := ""
	if st.PausedUntil != nil {
		until = st.PausedUntil.In(s.Location).Format("15:04 02/01/2006")
		r.Until = until
	}
	switch st.Status {
	case dispatch.ChannelOK:
		r.Class = "good"
	case dispatch.ChannelPull:
		r.Class, r.HealthKey = "good", "ch.health.pull"
	case dispatch.ChannelOutbox:
		r.Class, r.Plain, r.HealthKey = "info", v.T("ch.plain.outbox"), "ch.health.outbox"
	case dispatch.ChannelByHand:
		r.Class, r.Plain, r.HealthKey = "info", v.T("ch.plain.by_hand"), "ch.health.by_hand"
		if v.User != nil && s.mayOpen(v.User.Role, "/manual") {
			r.ManualURL = v.Link("/manual")
		}
	case dispatch.ChannelNotConfigured:
		r.Class, r.Plain, r.HealthKey = "warn", v.T("ch.plain.not_configured"), "ch.health.not_configured"
	case "reconnect":
		r.Class, r.Plain = "bad", v.T("paused.reconnect")
	case "blocked":
		r.Class, r.Plain = "bad", v.T("paused.blocked", until)
	case "throttled":
		r.Class, r.Plain = "warn", v.T("paused.throttled", until)
	case dispatch.ChannelPaused:
		r.Class, r.Plain = "warn", v.T("ch.plain.paused")
	default:
		r.Class, r.Plain = "bad", v.T("dprob.class."+errorClassOf(st.LastError))
	}
	if st.Usage != nil {
		r.Usage = strconv.Itoa(*st.Usage) + "%"
	}
	if st.Paused && v.Can(string(admin)) {
		r.ResumeURL = v.Link("/admin/channels/" + url.PathEscape(st.Channel) + "/resume")
	}
	return r
}

// errorClassOf reads the error class a publisher's message starts with.
func errorClassOf(msg string) string {
	for _, c := range []string{"auth_invalid", "blocked", "throttled", "transient", "permanent"} {
		if strings.HasPrefix(msg, c) {
			return c
		}
	}
	if strings.HasPrefix(msg, "reconnect") {
		return "auth_invalid"
	}
	return "unknown"
}

// secretLike matches what might be a credential in a platform's message:
// a long run of token characters, or a token= / access_token= parameter.
var secretLike = regexp.MustCompile(`(?i)((?:access_)?token=)[^&\s]+|[A-Za-z0-9_\-\.]{24,}`)

// scrubSecret hides anything token-like in a message.
func scrubSecret(msg string) string {
	return secretLike.ReplaceAllStringFunc(msg, func(m string) string {
		if i := strings.IndexByte(m, '='); i >= 0 && strings.Contains(strings.ToLower(m[:i+1]), "token=") {
			return m[:i+1] + "…"
		}
		return "…"
	})
}
