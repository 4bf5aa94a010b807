package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
)

// newItemPage shows an empty item form for ?kind= (a post unless chosen)
// in ?campaign= (by default the campaign running today), with what most
// items of the kind need filled in: the campaign's dates, the usual
// loudspeaker slots, every station, the kind's channels, the commune's
// hotline on a leaflet. A new form gets its idempotency key here.
func (s *Server) newItemPage(c *gin.Context) {
	kind := c.Query("kind")
	if !slices.Contains(campaigns.Kinds, kind) {
		kind = campaigns.KindPost
	}
	f := newItemForm(kind)
	f.Key = newFormKey()
	f.CampaignID, f.Times, f.AtTime = c.Query("campaign"), []string{"06:00", "17:30"}, "08:00"
	if kind == campaigns.KindScript {
		f.Mode = "repeat"
	}
	if f.CampaignID == "" {
		f.CampaignID = s.currentCampaign(c)
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
		for _, ch := range campaigns.AllowedChannels(kind) {
			if len(camp.Channels) == 0 || slices.Contains(camp.Channels, ch) {
				f.Channels[ch] = true
			}
		}
	}
	if kind == campaigns.KindLeaflet {
		f.Hotline = s.newView(c, "", nil).T("lf.hotline_default")
	}
	if kind == campaigns.KindScript && s.Stations != nil {
		list, err := s.Stations.List(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, st := range list {
			f.Stations[st.ID] = true
		}
	}
	s.renderItem(c, http.StatusOK, nil, f, "")
}

// currentCampaign is the campaign a new item most likely belongs to: one
// running today (an observance's first), else the next to start; "" when
// the commune has none ahead.
func (s *Server) currentCampaign(c *gin.Context) string {
	today := s.Now().In(s.Location).Format(campaigns.DateLayout)
	list, err := s.Campaigns.ListCampaigns(c, today, "")
	if err != nil || len(list) == 0 {
		return ""
	}
	best := list[0]
	for _, cp := range list {
		running, bestRunning := cp.Start <= today, best.Start <= today
		switch {
		case running && !bestRunning:
			best = cp
		case running == bestRunning && cp.Observance != "" && best.Observance == "":
			best = cp
		}
	}
	return best.ID
}

// createItem stores a new draft with campaigns.Service.CreateItemOnce (the
// form's key makes a second send of the same form find the first item
// instead of making another) with the photos that came with it, makes a
// leaflet item's leaflet, and on "submit" sends it for approval; or shows
// the form again with the errors next to their fields, nothing stored.
func (s *Server) createItem(c *gin.Context) {
	kind := c.Request.PostForm.Get("kind")
	if !slices.Contains(campaigns.Kinds, kind) {
		kind = campaigns.KindPost
	}
	submit := c.Request.PostForm.Get("action") == "submit"
	in, f := parseItemForm(c.Request.PostForm, kind, s.Location)
	in.Kind = &kind
	if f.Key == "" {
		f.Key = newFormKey() // a form from before keys: still saved once from now on
	}
	if err := s.takeUploads(c, &f, &in); err != nil {
		s.fail(c, err)
		return
	}
	leafletErrors(&f, in, submit, nil)
	if len(f.errs) == 0 {
		it, err := s.Campaigns.CreateItemOnce(c, actorOf(c), f.Key, in)
		if err == nil {
			s.afterSave(c, it, f, submit)
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
	for _, k := range []string{"saved", "submitted", "unchanged", "withdrawn", "figures"} {
		if c.Query(k) != "" {
			notice = "item.notice_" + k
		}
	}
	f := itemFormOf(it, s.Location)
	have, err := s.currentLeaflet(c, it)
	if err != nil {
		s.fail(c, err)
		return
	}
	if have != nil {
		f.PhotoID, f.Hotline, f.Template = have.PhotoMediaID, have.Hotline, have.Template
	} else if it.Kind == campaigns.KindLeaflet && s.Media != nil {
		// No photo yet: the hotline and template the draft was saved with.
		if f.Hotline, f.Template, err = s.Media.LeafletChoices(c, it.ID); err != nil {
			s.fail(c, err)
			return
		}
	}
	if p := c.Query("problem"); p == "lf.render_failed" || p == "item.submit_failed" {
		f.errs["form"] = msg{Key: p}
	}
	s.renderItem(c, http.StatusOK, &it, f, notice)
}

// saveItem saves an edit with campaigns.Service.UpdateItem (an approved or
// submitted item goes back to draft, and an approved one's pending
// deliveries are cancelled), remakes a leaflet item's leaflet, and, on
// "submit", sends it for approval. A form opened on an older version is
// refused with the current one's news.
func (s *Server) saveItem(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	form := c.Request.PostForm
	submit := form.Get("action") == "submit"
	in, f := parseItemForm(form, it.Kind, s.Location)
	have, err := s.currentLeaflet(c, it)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f.Version != itemFormOf(it, s.Location).Version {
		f.errs["form"] = msg{Key: "item.stale"}
		s.renderItem(c, http.StatusConflict, &it, f, "")
		return
	}
	if err := s.takeUploads(c, &f, &in); err != nil {
		s.fail(c, err)
		return
	}
	leafletErrors(&f, in, submit, have)
	if len(f.errs) == 0 && unchanged(in, it) && !leafletChanged(f, have) {
		if !submit || it.Status != campaigns.StatusDraft {
			// The item is unchanged; a leaflet's hotline or template may not be.
			changed, err := s.keepChoices(c, it, f)
			if err != nil {
				s.fail(c, err)
				return
			}
			notice := "unchanged"
			if changed {
				notice = "saved"
			}
			c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, notice))
			return
		}
		s.afterSave(c, it, f, true)
		return
	}
	if len(f.errs) == 0 {
		saved, err := s.Campaigns.UpdateItem(c, actorOf(c), it.ID, in)
		if err == nil {
			s.afterSave(c, saved, f, submit)
			return
		}
		if !f.fieldError(err, s.campaignOf(c, f.CampaignID)) {
			s.fail(c, err)
			return
		}
	}
	s.renderItem(c, http.StatusUnprocessableEntity, &it, f, "")
}

// currentLeaflet is a leaflet item's current leaflet, nil when it has none
// (or the item is of another kind).
func (s *Server) currentLeaflet(c *gin.Context, it campaigns.Item) (*media.LeafletView, error) {
	if it.Kind != campaigns.KindLeaflet || s.Media == nil {
		return nil, nil
	}
	lv, err := s.Media.Leaflet(c, it.ID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &lv, nil
}

// afterSave makes a leaflet item's leaflet from its saved text (the same
// inputs never render twice), submits the saved item when asked, and goes
// to its page. The item is stored by now: a step that fails here shows the
// item with what went wrong, never an error page that hides it.
func (s *Server) afterSave(c *gin.Context, it campaigns.Item, f itemForm, submit bool) {
	if it.Kind == campaigns.KindLeaflet && f.PhotoID != "" {
		_, err := s.Media.RenderLeaflet(c, actorOf(c), it.ID, media.LeafletInput{PhotoMediaID: f.PhotoID,
			Title: it.Title, Body: it.Body, Hotline: f.Hotline, Template: f.Template})
		if err != nil {
			s.afterSaveProblem(c, it, err, "lf.render_failed")
			return
		}
	} else if _, err := s.keepChoices(c, it, f); err != nil {
		s.fail(c, err) // the form checked them: the store failed
		return
	}
	if !submit {
		c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "saved"))
		return
	}
	if _, err := s.Campaigns.Submit(c, actorOf(c), it.ID); err != nil {
		s.afterSaveProblem(c, it, err, "item.submit_failed")
		return
	}
	c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "submitted"))
}

// afterSaveProblem shows a saved item whose next step failed: a refusal
// (a conflict, bad input) with its reason, anything else as an error.
func (s *Server) afterSaveProblem(c *gin.Context, it campaigns.Item, err error, key string) {
	var ve *apperr.ValidationError
	if !errors.Is(err, apperr.ErrConflict) && !errors.As(err, &ve) && !photoRefused(err) {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "saved")+"&problem="+url.QueryEscape(key))
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
