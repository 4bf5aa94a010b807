package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stations"
)

// stationsData is the stations page: the commune's loudspeaker stations
// and the form to add one.
type stationsData struct {
	Stations []stationRow
	Form     stationForm
	// Households sums the households the stations cover.
	Households string
	Notice     string // catalogue key
	// Tokens are the station's device tokens, on its page, for admins.
	Tokens *tokensData
}

type stationRow struct {
	Name, Village, Households, Notes, EditURL, RundownURL string
	// TokensURL leads admins to the station's device tokens.
	TokensURL string
}

// stationForm is a station's fields as typed, and the errors next to them
// (catalogue keys by field).
type stationForm struct {
	Heading, Action, CancelURL string
	Name, Village, Households  string
	Notes                      string
	Errors                     map[string]string
}

var stationFields = []string{"name", "village", "households", "notes"}

// stationsPage lists the stations and offers to add one.
func (s *Server) stationsPage(c *gin.Context) {
	notice := ""
	if c.Query("saved") != "" {
		notice = "st.saved"
	}
	s.renderStations(c, http.StatusOK, stationForm{Errors: map[string]string{}}, notice)
}

// createStation adds a station with stations.Service.Create.
func (s *Server) createStation(c *gin.Context) {
	in, f := parseStationForm(c.Request.PostForm)
	if len(f.Errors) == 0 {
		_, err := s.Stations.Create(c, in)
		if err == nil {
			c.Redirect(http.StatusSeeOther, withCommune("/admin/stations?saved=1", c.Query("commune")))
			return
		}
		if !f.fieldError(err) {
			s.fail(c, err)
			return
		}
	}
	s.renderStations(c, http.StatusUnprocessableEntity, f, "")
}

// stationPage shows one station's form.
func (s *Server) stationPage(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderStation(c, http.StatusOK, st, stationFormOf(st))
}

// stationFormOf is the station's form as stored.
func stationFormOf(st stations.Station) stationForm {
	return stationForm{Name: st.Name, Village: st.Village, Households: strconv.Itoa(st.Households), Notes: st.Notes,
		Errors: map[string]string{}}
}

// updateStation saves a station with stations.Service.Update.
func (s *Server) updateStation(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	in, f := parseStationForm(c.Request.PostForm)
	if len(f.Errors) == 0 {
		_, err := s.Stations.Update(c, st.ID, in)
		if err == nil {
			c.Redirect(http.StatusSeeOther, withCommune("/admin/stations?saved=1", c.Query("commune")))
			return
		}
		if !f.fieldError(err) {
			s.fail(c, err)
			return
		}
	}
	s.renderStation(c, http.StatusUnprocessableEntity, st, f)
}

func (s *Server) renderStations(c *gin.Context, status int, f stationForm, notice string) {
	list, err := s.Stations.List(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	sortStations(list)
	v := s.newView(c, "st.title", nil)
	f.Heading, f.Action = "st.add", v.Link("/admin/stations")
	d := stationsData{Form: f, Notice: notice}
	total := 0
	for _, st := range list {
		total += st.Households
		d.Stations = append(d.Stations, stationRow{Name: st.Name, Village: st.Village, Notes: st.Notes,
			Households: thousands(int64(st.Households), v.Lang), EditURL: v.Link("/admin/stations/" + url.PathEscape(st.ID)),
			RundownURL: v.Link("/stations/" + url.PathEscape(st.ID) + "/rundown"),
			TokensURL:  v.Link("/admin/stations/"+url.PathEscape(st.ID)) + "#tokens"})
	}
	d.Households = thousands(int64(total), v.Lang)
	v.Data = d
	s.render(c, status, pageAdminStations, v)
}

func (s *Server) renderStation(c *gin.Context, status int, st stations.Station, f stationForm) {
	s.renderStationWith(c, status, st, f, nil)
}

// renderStationWith shows the station's page; an admin also sees its device
// tokens (station_tokens.go), changed by fn when set.
func (s *Server) renderStationWith(c *gin.Context, status int, st stations.Station, f stationForm, fn func(*tokensData)) {
	v := s.newView(c, "st.edit", nil)
	v.Title = st.Name
	f.Heading, f.Action, f.CancelURL = "st.edit", v.Link("/admin/stations/"+url.PathEscape(st.ID)), v.Link("/admin/stations")
	tokens, err := s.stationTokens(c, v, st)
	if err != nil {
		s.fail(c, err)
		return
	}
	if tokens != nil && fn != nil {
		fn(tokens)
	}
	v.Data = stationsData{Form: f, Tokens: tokens}
	s.render(c, status, pageStationForm, v)
}

// parseStationForm reads a posted station; households that are not a whole
// number are reported in f.Errors.
func parseStationForm(form url.Values) (stations.Input, stationForm) {
	f := stationForm{Name: form.Get("name"), Village: form.Get("village"), Households: strings.TrimSpace(form.Get("households")),
		Notes: form.Get("notes"), Errors: map[string]string{}}
	hh := 0
	if f.Households != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(f.Households, ".", ""), ",", ""))
		if err != nil || n < 0 {
			f.Errors["households"] = "serr.households"
		}
		hh = n
	}
	for field, v := range map[string]string{"name": f.Name, "village": f.Village} {
		if strings.TrimSpace(v) == "" {
			f.Errors[field] = "err.required"
		}
	}
	return stations.Input{Name: &f.Name, Village: &f.Village, Households: &hh, Notes: &f.Notes}, f
}

func (f *stationForm) fieldError(err error) bool {
	var v *apperr.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	if slices.Contains(stationFields, v.Field) {
		f.Errors[v.Field] = "serr." + v.Field
	} else {
		f.Errors["form"] = "err.invalid"
	}
	return true
}

// sortStations orders stations by village and name as Vietnamese readers
// expect (Đông after Dương, before Tây), which the store's byte order does
// not.
func sortStations(list []stations.Station) {
	slices.SortStableFunc(list, func(a, b stations.Station) int {
		return cmp.Or(campaigns.CompareVietnamese(a.Village, b.Village), campaigns.CompareVietnamese(a.Name, b.Name))
	})
}
