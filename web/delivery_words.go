package web

import (
	"net/url"
	"strings"

	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
)

// problemText says in plain words what happened to a delivery and what
// happens next, from its state, its error class and the error the
// dispatcher recorded (English, technical, kept for whoever fixes it).
func (s *Server) problemText(v *view, d deliveries.Delivery) string {
	e := d.LastError
	next := d.RunAt.In(s.Location).Format("15:04 02/01")
	switch d.State {
	case deliveries.StateSent, deliveries.StateQueued, deliveries.StateSending:
		return ""
	case deliveries.StateCancelled:
		return v.T("dprob.cancelled")
	case deliveries.StateMissed:
		switch {
		case strings.HasPrefix(e, "skipped by the operator: "):
			return v.T("dprob.skipped", strings.TrimPrefix(e, "skipped by the operator: "))
		case strings.HasPrefix(e, "no airing was confirmed"):
			return v.T("dprob.unconfirmed")
		case strings.HasPrefix(e, "interrupted send"):
			return v.T("dprob.interrupted")
		}
		return v.T("dprob.late")
	}
	plain := v.T("dprob.class." + classOf(d))
	if d.State == deliveries.StateFailed {
		return plain + " " + v.T("dprob.will_retry", next)
	}
	if strings.HasPrefix(e, "gave up after") {
		return v.T("dprob.gave_up", d.Attempts) + " " + plain
	}
	return plain
}

// classOf is a delivery's error class, or "unknown" for one the catalogue
// does not know.
func classOf(d deliveries.Delivery) string {
	switch d.ErrorClass {
	case "transient", "throttled", "permanent", "auth_invalid", "blocked":
		return d.ErrorClass
	}
	return "unknown"
}

// pausedChannel is a channel the dispatcher paused, and what to do about it.
type pausedChannel struct {
	ChannelKey, Status string
	// What says what happened and what to do, in plain words.
	What   string
	Reason string
	// FixURL leads to the page where the channel is reconnected, once that
	// page exists.
	FixURL string
}

// pausedOf describes a paused channel: "reconnect" needs an admin to
// reconnect the credential, "blocked" a look at the account, "throttled"
// only waiting.
func (s *Server) pausedOf(v *view, p dispatch.ChannelState) pausedChannel {
	until := p.PausedUntil.In(s.Location).Format("15:04 02/01/2006")
	out := pausedChannel{ChannelKey: "channel." + p.Channel, Status: p.Status, Reason: p.Reason}
	switch p.Status {
	case "reconnect":
		out.What = v.T("paused.reconnect")
		if _, ok := s.access("/admin/channels"); ok && v.Can(string(admin)) {
			out.FixURL = v.Link("/admin/channels?" + url.Values{"channel": {p.Channel}}.Encode())
		}
	case "blocked":
		out.What = v.T("paused.blocked", until)
	default:
		out.What = v.T("paused.throttled", until)
	}
	return out
}
