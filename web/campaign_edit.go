package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// newCampaignPage shows an empty campaign form.
func (s *Server) newCampaignPage(c *gin.Context) {
	v := s.newView(c, "form.new_title", nil)
	f := newCampaignForm()
	f.Heading, f.Action, f.CancelURL = "form.new_title", v.Link("/campaigns/new"), v.Link("/calendar")
	v.Data = f
	s.render(c, http.StatusOK, pageCampaignForm, v)
}

// createCampaign stores a new campaign with campaigns.Service.CreateCampaign,
// or shows the form again with the errors next to their fields.
func (s *Server) createCampaign(c *gin.Context) {
	v := s.newView(c, "form.new_title", nil)
	in, f := parseCampaignForm(c.Request.PostForm)
	f.Heading, f.Action, f.CancelURL = "form.new_title", v.Link("/campaigns/new"), v.Link("/calendar")
	if len(f.Errors) == 0 {
		camp, err := s.Campaigns.CreateCampaign(c, principal(c).Username, in)
		if err == nil {
			c.Redirect(http.StatusSeeOther, v.Link(campaignURL(camp, true)))
			return
		}
		if !f.fieldError(err) {
			s.fail(c, err)
			return
		}
	}
	v.Data = f
	s.render(c, http.StatusUnprocessableEntity, pageCampaignForm, v)
}

// editCampaignPage shows the campaign's form.
func (s *Server) editCampaignPage(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "form.edit_title", nil)
	f := campaignFormOf(camp)
	f.Heading, f.Action, f.CancelURL = "form.edit_title", v.Link(campaignURL(camp, false)+"/edit"), v.Link(campaignURL(camp, false))
	v.Data = f
	s.render(c, http.StatusOK, pageCampaignForm, v)
}

// updateCampaign saves the form with campaigns.Service.UpdateCampaign, or
// shows it again with the errors next to their fields.
func (s *Server) updateCampaign(c *gin.Context) {
	id := c.Param("id")
	if _, err := s.Campaigns.GetCampaign(c, id); err != nil {
		s.fail(c, err) // not the caller's campaign: 404 before any form talk
		return
	}
	v := s.newView(c, "form.edit_title", nil)
	in, f := parseCampaignForm(c.Request.PostForm)
	base := "/campaigns/" + url.PathEscape(id)
	f.Heading, f.Action, f.CancelURL = "form.edit_title", v.Link(base+"/edit"), v.Link(base)
	if len(f.Errors) == 0 {
		camp, err := s.Campaigns.UpdateCampaign(c, principal(c).Username, id, in)
		if err == nil {
			c.Redirect(http.StatusSeeOther, v.Link(campaignURL(camp, true)))
			return
		}
		if !f.fieldError(err) {
			s.fail(c, err)
			return
		}
	}
	v.Data = f
	s.render(c, http.StatusUnprocessableEntity, pageCampaignForm, v)
}

func campaignURL(c campaigns.Campaign, saved bool) string {
	u := "/campaigns/" + url.PathEscape(c.ID)
	if saved {
		u += "?saved=1"
	}
	return u
}
