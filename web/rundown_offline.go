package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/rundown"
)

// rundownOffline is what an operator's rundown page carries for its script
// (static/offline.js) to work on a copy kept on the phone: the rundown's
// version, when the page was built, each script's reporting window, and the
// page's texts for what the script says.
type rundownOffline struct {
	// Version is the entity tag of the rundown's JSON that the page was
	// built from, as GET API answers it (API, without gzip's "-gz"): the
	// script compares them to say when a newer rundown exists.
	Version, API string
	// Station is the page's path without a date; Built when it was built,
	// in the commune's time zone Zone; Now the same in Unix milliseconds.
	Station, Built, Zone string
	Now                  int64
	// Windows are the scripts' reporting windows (rundown.Window) by
	// delivery, in Unix milliseconds: a page kept since yesterday shows the
	// confirmation forms (the page's template rd-forms) when a window opens,
	// and hides them when it closes.
	Windows map[string][2]int64
	// Forms is whether a window has yet to close: the page then carries
	// the forms' template.
	Forms bool
	// Texts are the script's messages by short key ("offline" for
	// off.offline), verbs left in.
	Texts map[string]string
}

// offlineTexts are the catalogue keys of rundownOffline.Texts.
var offlineTexts = []string{"rd.aired", "rd.at", "rd.skipped", "rd.opens", "off.offline", "off.copy", "off.newer", "off.reload",
	"off.queued", "off.tapped", "off.queued_n", "off.sent_n", "off.session", "off.sign_in", "off.refused", "off.drop",
	"off.not_kept"}

// rundownOffline builds what the page of rv at path base carries offline.
func (s *Server) rundownOffline(v *view, rv *rundown.View, base string) *rundownOffline {
	r, now := rv.Rundown, s.Now()
	o := &rundownOffline{Version: rv.JSONETag, Station: base, Built: now.In(s.Location).Format("15:04 02/01"), Zone: s.Location.String(), Now: now.UnixMilli(),
		API:     v.Link("/api/v1/stations/" + url.PathEscape(r.Station.ID) + "/rundown?" + url.Values{"date": {r.Date}}.Encode()),
		Windows: map[string][2]int64{}, Texts: map[string]string{}}
	for _, sl := range r.Slots {
		due, err := time.ParseInLocation(campaigns.DateLayout+" 15:04", r.Date+" "+sl.Time, s.Location)
		if err != nil {
			continue
		}
		opens, closes, err := rundown.Window(due, r.Date, s.Location)
		if err != nil {
			continue
		}
		for _, sc := range sl.Items {
			o.Windows[sc.DeliveryID] = [2]int64{opens.UnixMilli(), closes.UnixMilli()}
			o.Forms = o.Forms || now.Before(closes)
		}
	}
	for _, k := range offlineTexts {
		o.Texts[k[strings.IndexByte(k, '.')+1:]] = v.T(k)
	}
	return o
}

// tapTime reads the rundown form's aired_at: empty (no script, or an old
// page) is nil, which rundown.Report takes as now.
func tapTime(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, apperr.Invalid("aired_at", "must be a time in RFC 3339, e.g. 2026-11-21T06:05:00+07:00")
	}
	return &t, nil
}
