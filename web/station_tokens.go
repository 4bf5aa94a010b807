package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stations"
)

// tokensData is the device tokens part of a station's page (admins only).
type tokensData struct {
	Tokens []tokenRow
	// Secret is a token just issued, shown this once with the rundown
	// address a device reads with it.
	Secret, RundownURL string
	Notice, Error      string // catalogue keys
	IssueURL           string
	Full               bool // MaxStationTokens reached: revoke one first
	Max                int
}

// tokenRow is a token as the page lists it: never its secret.
type tokenRow struct {
	ID, Created, CreatedBy, LastUsed, Uses, RevokeURL string
}

// stationTokens lists the station's device tokens for an admin's view of
// its page; nil for anyone else.
func (s *Server) stationTokens(c *gin.Context, v *view, st stations.Station) (*tokensData, error) {
	if principal(c).Role != accounts.RoleAdmin {
		return nil, nil
	}
	list, err := s.Accounts.ListStationTokens(c, st.ID)
	if err != nil {
		return nil, err
	}
	base := "/admin/stations/" + url.PathEscape(st.ID) + "/tokens"
	d := &tokensData{IssueURL: v.Link(base), Max: accounts.MaxStationTokens, Full: len(list) >= accounts.MaxStationTokens}
	if c.Query("revoked") != "" {
		d.Notice = "tok.revoked"
	}
	for _, t := range list {
		r := tokenRow{ID: t.ID, Created: s.clock(t.CreatedAt), CreatedBy: t.CreatedBy, Uses: thousands(t.UseCount, v.Lang),
			RevokeURL: v.Link(base + "/" + url.PathEscape(t.ID) + "/revoke")}
		if t.LastUsed != nil {
			r.LastUsed = s.clock(*t.LastUsed)
		}
		d.Tokens = append(d.Tokens, r)
	}
	return d, nil
}

// issueStationToken issues a device token for the station with
// accounts.Service.IssueStationToken (as POST /api/v1/stations/:id/token
// does) and shows its secret once, on a page that is not cached.
func (s *Server) issueStationToken(c *gin.Context) {
	st, err := s.Stations.Get(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	secret, _, err := s.Accounts.IssueStationToken(c, principal(c).Username, st.ID)
	switch {
	case errors.Is(err, apperr.ErrConflict):
		s.renderStationTokens(c, http.StatusConflict, st, func(d *tokensData) { d.Error = "tok.too_many" })
	case err != nil:
		s.fail(c, err)
	default:
		c.Header("Cache-Control", "no-store")
		s.renderStationTokens(c, http.StatusOK, st, func(d *tokensData) {
			d.Secret, d.RundownURL = secret, s.BaseURL+"/api/v1/stations/"+url.PathEscape(st.ID)+"/rundown"
		})
	}
}

// revokeStationToken revokes one of the station's device tokens; the
// device is refused at its next request.
func (s *Server) revokeStationToken(c *gin.Context) {
	err := s.Accounts.RevokeStationToken(c, principal(c).Username, c.Param("id"), c.Param("token_id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, withCommune("/admin/stations/"+url.PathEscape(c.Param("id"))+"?revoked=1", c.Query("commune"))+"#tokens")
}

// renderStationTokens shows the station's page with its form as stored and
// the tokens part changed by fn.
func (s *Server) renderStationTokens(c *gin.Context, status int, st stations.Station, fn func(*tokensData)) {
	s.renderStationWith(c, status, st, stationFormOf(st), fn)
}
