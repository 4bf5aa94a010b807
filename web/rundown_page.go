package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/stations"
)

// rundownData is a station's rundown page (SPEC §3F): the day's slots with
// their scripts in full, large, for the operator to read at the microphone,
// and a form per script to confirm it aired or say why it did not.
type rundownData struct {
	Station          rundown.Station
	Date, DateText   string
	PrevURL, NextURL string
	TodayURL         string
	TextURL          string
	Action           string
	Slots            []rundownSlot
	Total            string
	// Operator: the caller is an operator of the station; Future: the day
	// has not come yet.
	Operator, Future bool
	Notice           string // catalogue key
	// ErrDelivery and Err say which script's form failed, and why.
	ErrDelivery, Err string

	// Offline is what the page's script needs without signal (operators).
	Offline *rundownOffline
}

type rundownSlot struct {
	Time    string
	Read    string
	Scripts []rundownScript
}

type rundownScript struct {
	rundown.Script
	Read    string
	AiredAt string
	// CanReport: the caller is an operator of the station and the slot is
	// in its reporting window (rundown.Window); Opens says from when, while
	// it is not yet.
	CanReport bool
	Opens     string
	// SoundURL is where the script's sound plays from on this page (same
	// origin, the commune kept); "" when it has none.
	SoundURL, SoundLength string
}

// stationsData lists the stations whose rundowns the caller may read.
type stationListData struct {
	Stations []stationLink
}

type stationLink struct{ Name, Village, URL string }

// refuseStation answers the request, and reports true, when the caller
// may not open station id's rundown: operators keep to their own stations,
// by the one rule of accounts.Service.StationAllowed, as the API does. A
// station that is not theirs is said so, not as a role they lack.
func (s *Server) refuseStation(c *gin.Context, id string) bool {
	err := s.Accounts.StationAllowed(c, principal(c), id)
	switch {
	case errors.Is(err, apperr.ErrForbidden):
		s.errorPage(c, http.StatusForbidden, "rd.not_your_station")
	case err != nil:
		s.fail(c, err)
	}
	return err != nil
}

// stationsListPage lists the stations whose rundowns the caller may read:
// an operator's own, everyone else's the commune's.
func (s *Server) stationsListPage(c *gin.Context) {
	p := principal(c)
	var ids []string
	if p.Role == accounts.RoleOperator {
		if len(p.StationIDs) == 0 {
			s.renderStationList(c, nil)
			return
		}
		ids = p.StationIDs
	}
	list, err := s.Stations.List(c, ids...)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderStationList(c, list)
}

func (s *Server) renderStationList(c *gin.Context, list []stations.Station) {
	sortStations(list)
	v := s.newView(c, "rd.stations_title", nil)
	d := stationListData{}
	for _, st := range list {
		d.Stations = append(d.Stations, stationLink{Name: st.Name, Village: st.Village,
			URL: v.Link("/stations/" + url.PathEscape(st.ID) + "/rundown")})
	}
	v.Data = d
	s.render(c, http.StatusOK, pageStations, v)
}

// rundownPage shows a station's rundown of ?date= (default today).
func (s *Server) rundownPage(c *gin.Context) {
	notice := ""
	switch c.Query("done") {
	case rundown.StatusAired:
		notice = "rd.done_aired"
	case rundown.StatusSkipped:
		notice = "rd.done_skipped"
	}
	s.showRundown(c, http.StatusOK, c.Query("date"), notice, "", "")
}

func (s *Server) showRundown(c *gin.Context, status int, day, notice, errDelivery, errKey string) {
	id := c.Param("id")
	if s.refuseStation(c, id) {
		return
	}
	rv, err := s.Rundown.Get(c, id, day)
	if err != nil {
		s.fail(c, err)
		return
	}
	r := rv.Rundown
	v := s.newView(c, "rd.title", nil)
	base := "/stations/" + url.PathEscape(id) + "/rundown"
	d := rundownData{Station: r.Station, Date: r.Date, DateText: v.longDate(r.Date),
		TextURL: "/api/v1/stations/" + url.PathEscape(id) + "/rundown?" + url.Values{"date": {r.Date}, "format": {"txt"}}.Encode(),
		Action:  v.Link(base + "?" + url.Values{"date": {r.Date}}.Encode()), Total: v.T("rd.about", v.duration(r.TotalReadSeconds)),
		Notice: notice, ErrDelivery: errDelivery, Err: errKey, TodayURL: v.Link(base)}
	d.TextURL = v.Link(d.TextURL)
	if t, err := time.ParseInLocation(campaigns.DateLayout, r.Date, s.Location); err == nil {
		d.PrevURL = v.Link(base + "?date=" + t.AddDate(0, 0, -1).Format(campaigns.DateLayout))
		d.NextURL = v.Link(base + "?date=" + t.AddDate(0, 0, 1).Format(campaigns.DateLayout))
		d.Future = s.Now().Before(t)
		d.Operator = principal(c).Role == accounts.RoleOperator
	}
	for _, sl := range r.Slots {
		row := rundownSlot{Time: sl.Time, Read: v.T("rd.about", v.duration(sl.ReadSeconds))}
		due, _ := time.ParseInLocation(campaigns.DateLayout+" 15:04", r.Date+" "+sl.Time, s.Location)
		opens, closes, werr := rundown.Window(due, r.Date, s.Location)
		now := s.Now()
		for _, sc := range sl.Items {
			rs := rundownScript{Script: sc, Read: v.T("rd.about", v.duration(sc.ReadSeconds))}
			if d.Operator && werr == nil {
				rs.CanReport = !now.Before(opens) && now.Before(closes)
				if now.Before(opens) && !d.Future {
					rs.Opens = opens.In(s.Location).Format("15:04")
				}
			}
			if sc.Audio != nil {
				rs.SoundURL = v.Link(soundPath(sc.Audio.URL))
				rs.SoundLength = v.duration(int(math.Round(sc.Audio.DurationSeconds)))
			}
			if sc.AiredAt != nil {
				rs.AiredAt = sc.AiredAt.In(s.Location).Format("15:04 02/01")
			}
			row.Scripts = append(row.Scripts, rs)
		}
		d.Slots = append(d.Slots, row)
	}
	if d.Operator {
		d.Offline, v.offlineDay = s.rundownOffline(v, rv, base), r.Date
	}
	v.Title = v.T("rd.title_of", r.Station.Name)
	v.Data = d
	s.render(c, status, pageRundown, v)
}

// reportAiring confirms that a script aired, or records why it did not,
// with the same domain call as POST /api/v1/stations/:id/airings. The form's
// aired_at is the time of the tap (offline.js fills it; a phone without
// signal sends the form later): rundown.Report takes it within the slot's
// reporting window, else the page says so (400).
func (s *Server) reportAiring(c *gin.Context) {
	id := c.Param("id")
	if s.refuseStation(c, id) {
		return
	}
	f := c.Request.PostForm
	day := f.Get("date")
	in := rundown.AiringInput{DeliveryID: f.Get("delivery"), Status: f.Get("status"), Reason: f.Get("reason")}
	if in.Status != rundown.StatusSkipped {
		in.Status = rundown.StatusAired
	}
	at, err := tapTime(f.Get("aired_at"))
	if err == nil {
		in.AiredAt = at
		_, _, err = s.Rundown.Report(c, principal(c).Username, id, in)
	}
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		q := url.Values{"date": {day}, "done": {in.Status}}
		c.Redirect(http.StatusSeeOther, withCommune("/stations/"+url.PathEscape(id)+"/rundown?"+q.Encode()+"#d-"+url.QueryEscape(in.DeliveryID), c.Query("commune")))
	case errors.As(err, &ve) && ve.Field == "reason":
		s.showRundown(c, http.StatusUnprocessableEntity, day, "", in.DeliveryID, "rd.reason_error")
	case errors.As(err, &ve) && ve.Field == "aired_at":
		s.showRundown(c, http.StatusBadRequest, day, "", in.DeliveryID, "rd.aired_at_error")
	case errors.Is(err, apperr.ErrConflict):
		s.showRundown(c, http.StatusConflict, day, "", in.DeliveryID, "rd.window_error")
	default:
		s.fail(c, err)
	}
}
