package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
)

// approvalsData is the approval queue: the submitted items, oldest first,
// each with its preview.
type approvalsData struct {
	Cards []approvalCard
	// Notice says what was just done; Alert why the last action failed.
	Notice, Alert string
}

// approvalCard is one submitted item of the queue.
type approvalCard struct {
	ID, Title, KindKey, Author, Submitted string
	Campaign, CampaignURL, ItemURL        string
	ApproveURL, RejectURL                 string
	Preview                               preview
	Audiences                             []string // catalogue keys
	Stations                              int
	// Own marks the manager's own item: someone else must approve it.
	Own bool
	// Reason and ReasonError are a rejection's reason as typed, and why it
	// was refused.
	Reason, ReasonError string
	// Outgoing is what each channel will publish; Blocked says why the
	// item cannot be approved as it is (a leaflet made before its text
	// changed), "" when it can.
	Outgoing []outgoing
	Blocked  string
	// Sound is a script's sound, for the manager to hear before approving
	// (nil: none).
	Sound *soundView
}

// approvalsPage shows the queue.
func (s *Server) approvalsPage(c *gin.Context) {
	s.renderApprovals(c, http.StatusOK, "", "", "", "")
}

// approveItem approves a submitted item with campaigns.Service.Approve, which
// schedules its deliveries; the author of an item cannot approve it.
func (s *Server) approveItem(c *gin.Context) {
	id := c.Param("id")
	_, n, err := s.Campaigns.Approve(c, actorOf(c), id)
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, withCommune("/approvals?"+url.Values{"approved": {id}, "n": {strconv.Itoa(n)}}.Encode(), c.Query("commune")))
	case errors.Is(err, apperr.ErrForbidden):
		s.renderApprovals(c, http.StatusForbidden, "appr.own", "", "", "")
	case errors.Is(err, apperr.ErrConflict):
		s.renderApprovals(c, http.StatusConflict, "appr.conflict", "", "", "")
	default:
		s.fail(c, err)
	}
}

// rejectItem returns a submitted item to its author with the manager's
// reason (required) through campaigns.Service.Reject.
func (s *Server) rejectItem(c *gin.Context) {
	id, reason := c.Param("id"), c.Request.PostForm.Get("reason")
	_, err := s.Campaigns.Reject(c, actorOf(c), id, reason)
	var v *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, withCommune("/approvals?"+url.Values{"rejected": {id}}.Encode(), c.Query("commune")))
	case errors.As(err, &v):
		s.renderApprovals(c, http.StatusUnprocessableEntity, "", id, reason, "appr.reason_required")
	case errors.Is(err, apperr.ErrConflict):
		s.renderApprovals(c, http.StatusConflict, "appr.conflict", "", "", "")
	default:
		s.fail(c, err)
	}
}

// renderApprovals renders the queue; alert is a catalogue key, and a refused
// rejection of item failed keeps its reason with the error reasonErr.
func (s *Server) renderApprovals(c *gin.Context, status int, alert, failed, reason, reasonErr string) {
	items, err := s.Campaigns.ListItems(c, campaigns.ItemFilter{Status: campaigns.StatusSubmitted})
	if err != nil {
		s.fail(c, err)
		return
	}
	slices.Reverse(items) // the longest waiting first
	camps, err := s.Campaigns.ListCampaigns(c, "", "")
	if err != nil {
		s.fail(c, err)
		return
	}
	titles := map[string]string{}
	for _, cp := range camps {
		titles[cp.ID] = cp.Title
	}
	v := s.newView(c, "appr.title", nil)
	d := approvalsData{Notice: s.approvalNotice(c, v)}
	if alert != "" {
		d.Alert = v.T(alert)
	}
	commune, me := s.communeLabel(c, v), principal(c).UserID
	for _, it := range items {
		esc := url.PathEscape(it.ID)
		card := approvalCard{ID: it.ID, Title: it.Title, KindKey: "kind." + it.Kind, Author: it.Author,
			Submitted: it.UpdatedAt.In(s.Location).Format("02/01/2006 15:04"), Campaign: titles[it.CampaignID],
			CampaignURL: v.Link("/campaigns/" + url.PathEscape(it.CampaignID)), ItemURL: v.Link("/items/" + esc),
			ApproveURL: v.Link("/approvals/" + esc + "/approve"), RejectURL: v.Link("/approvals/" + esc + "/reject"),
			Preview: s.previewOf(v, itemFormOf(it, s.Location), commune), Stations: len(it.StationIDs), Own: it.AuthorID == me}
		for _, a := range campaigns.Audiences {
			if slices.Contains(it.Audiences, a.Code) {
				card.Audiences = append(card.Audiences, "audience."+a.Code)
			}
		}
		if it.ID == failed {
			card.Reason, card.ReasonError = reason, v.T(reasonErr)
		}
		out, blocked, err := s.outgoingOf(c, it)
		if err != nil {
			s.fail(c, err)
			return
		}
		card.Outgoing = out
		card.Sound = soundOf(v, it, s.ReadWPM)
		if blocked != nil {
			card.Blocked = v.T("appr.leaflet_stale")
		}
		card.Preview.Photos = nil // the channels below show them as each platform gets them
		d.Cards = append(d.Cards, card)
	}
	v.Data = d
	s.render(c, status, pageApprovals, v)
}

// approvalNotice says what the last approval or rejection did.
func (s *Server) approvalNotice(c *gin.Context, v *view) string {
	id, key := c.Query("approved"), "appr.approved"
	if id == "" {
		id, key = c.Query("rejected"), "appr.rejected"
	}
	if id == "" {
		return ""
	}
	it, err := s.Campaigns.GetItem(c, id)
	if err != nil {
		return ""
	}
	if key == "appr.approved" {
		n, _ := strconv.Atoi(c.Query("n"))
		return v.T(key, it.Title, n)
	}
	return v.T(key, it.Title)
}
