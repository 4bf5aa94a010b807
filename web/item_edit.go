package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// newItemPage shows an empty item form for ?campaign= and ?kind= (a post
// unless chosen), with the campaign's dates and the usual loudspeaker slots
// filled in.
func (s *Server) newItemPage(c *gin.Context) {
	kind := c.Query("kind")
	if !slices.Contains(campaigns.Kinds, kind) {
		kind = campaigns.KindPost
	}
	f := newItemForm(kind)
	f.CampaignID, f.Times, f.AtTime = c.Query("campaign"), []string{"06:00", "17:30"}, "08:00"
	if kind == campaigns.KindScript {
		f.Mode = "repeat"
	}
	if f.CampaignID != "" {
		camp, err := s.Campaigns.GetCampaign(c, f.CampaignID)
		if err != nil {
			s.fail(c, err)
			return
		}
		now := s.Now().In(s.Location)
		today, tomorrow := now.Format(campaigns.DateLayout), now.AddDate(0, 0, 1).Format(campaigns.DateLayout)
		f.From, f.To, f.AtDate = max(camp.Start, today), camp.End, max(camp.Start, tomorrow)
	}
	s.renderItem(c, http.StatusOK, nil, f, "")
}

// createItem stores a new draft with campaigns.Service.CreateItem and, when
// the editor pressed "submit", sends it for approval; or shows the form again
// with the errors next to their fields.
func (s *Server) createItem(c *gin.Context) {
	kind := c.Request.PostForm.Get("kind")
	if !slices.Contains(campaigns.Kinds, kind) {
		kind = campaigns.KindPost
	}
	in, f := parseItemForm(c.Request.PostForm, kind, s.Location)
	in.Kind = &kind
	if len(f.errs) == 0 {
		it, err := s.Campaigns.CreateItem(c, actorOf(c), in)
		if err == nil {
			s.afterSave(c, it, c.Request.PostForm.Get("action") == "submit")
			return
		}
		if !f.fieldError(err, s.campaignOf(c, f.CampaignID)) {
			s.fail(c, err)
			return
		}
	}
	s.renderItem(c, http.StatusUnprocessableEntity, nil, f, "")
}

// itemPage shows an item: its editor for editors, for everyone else a
// read-only page with the same preview.
func (s *Server) itemPage(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	notice := ""
	for _, k := range []string{"saved", "submitted", "unchanged"} {
		if c.Query(k) != "" {
			notice = "item.notice_" + k
		}
	}
	s.renderItem(c, http.StatusOK, &it, itemFormOf(it, s.Location), notice)
}

// saveItem saves an edit with campaigns.Service.UpdateItem (an approved or
// submitted item goes back to draft, and an approved one's pending
// deliveries are cancelled) and, on "submit", sends it for approval. A form
// opened on an older version is refused with the current one's news.
func (s *Server) saveItem(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	form := c.Request.PostForm
	submit := form.Get("action") == "submit"
	in, f := parseItemForm(form, it.Kind, s.Location)
	if f.Version != itemFormOf(it, s.Location).Version {
		f.errs["form"] = msg{Key: "item.stale"}
		s.renderItem(c, http.StatusConflict, &it, f, "")
		return
	}
	if len(f.errs) == 0 && unchanged(in, it) {
		if !submit || it.Status != campaigns.StatusDraft {
			c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "unchanged"))
			return
		}
		s.afterSave(c, it, true)
		return
	}
	if len(f.errs) == 0 {
		saved, err := s.Campaigns.UpdateItem(c, actorOf(c), it.ID, in)
		if err == nil {
			s.afterSave(c, saved, submit)
			return
		}
		if !f.fieldError(err, s.campaignOf(c, f.CampaignID)) {
			s.fail(c, err)
			return
		}
	}
	s.renderItem(c, http.StatusUnprocessableEntity, &it, f, "")
}

// afterSave submits the saved item when asked, and goes to its page.
func (s *Server) afterSave(c *gin.Context, it campaigns.Item, submit bool) {
	if !submit {
		c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "saved"))
		return
	}
	if _, err := s.Campaigns.Submit(c, actorOf(c), it.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "submitted"))
}

func (s *Server) itemURL(c *gin.Context, id, notice string) string {
	u := "/items/" + url.PathEscape(id)
	if notice != "" {
		u += "?" + notice + "=1"
	}
	return withCommune(u, c.Query("commune"))
}

// campaignOf returns the campaign for the messages that name its dates, or
// an empty one.
func (s *Server) campaignOf(c *gin.Context, id string) campaigns.Campaign {
	camp, err := s.Campaigns.GetCampaign(c, id)
	if err != nil {
		return campaigns.Campaign{}
	}
	return camp
}

// actorOf is the signed-in user as the workflow sees them.
func actorOf(c *gin.Context) campaigns.Actor {
	p := principal(c)
	return campaigns.Actor{UserID: p.UserID, Username: p.Username}
}
