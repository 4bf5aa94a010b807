package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/byhand"
)

// manualData is the queue of posts to make by hand (SPEC §6.2).
type manualData struct {
	Cards  []manualCard
	Notice string // catalogue key
	// CanPost is false for managers: they see the queue, editors post.
	CanPost bool
}

// manualCard is one post to make: its text to copy, its images to
// download or share, and the forms that record the post's link or skip it.
type manualCard struct {
	byhand.Post
	Anchor, ChannelKey, Due, ItemURL string
	PostedURL, SkipURL               string
	Images                           []manualImage
	// Value and Error are the link as typed and why it was refused;
	// Reason and SkipError a skip's reason as typed and why it was refused.
	Value, Error, Reason, SkipError string
}

type manualImage struct{ URL, Name string }

// manualPage shows the posts waiting for a person, oldest due first.
func (s *Server) manualPage(c *gin.Context) {
	notice := ""
	switch {
	case c.Query("posted") != "":
		notice = "man.posted"
	case c.Query("skipped") != "":
		notice = "man.skipped"
	}
	s.renderManual(c, http.StatusOK, notice, "", nil)
}

// postedManual records the link of a post made by hand with
// byhand.Service.Posted, or shows the queue again with why the link was
// refused.
func (s *Server) postedManual(c *gin.Context) {
	id, link := c.Param("id"), c.Request.PostForm.Get("url")
	_, err := s.ByHand.Posted(c, principal(c).Username, id, link)
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, withCommune("/manual?posted=1", c.Query("commune")))
	case errors.As(err, &ve):
		s.renderManual(c, http.StatusUnprocessableEntity, "", id, map[string]string{"value": link, "error": "man.bad_link"})
	case errors.Is(err, apperr.ErrConflict):
		s.renderManual(c, http.StatusConflict, "", id, map[string]string{"value": link, "error": "man.conflict"})
	default:
		s.fail(c, err)
	}
}

// skipManual records that a post will not be made, and why.
func (s *Server) skipManual(c *gin.Context) {
	reason := c.Request.PostForm.Get("reason")
	_, err := s.ByHand.Skip(c, principal(c).Username, c.Param("id"), reason)
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, withCommune("/manual?skipped=1", c.Query("commune")))
	case errors.As(err, &ve):
		s.renderManual(c, http.StatusUnprocessableEntity, "", c.Param("id"), map[string]string{"skip": "man.skip_reason", "reason": reason})
	case errors.Is(err, apperr.ErrConflict):
		s.renderManual(c, http.StatusConflict, "", c.Param("id"), map[string]string{"error": "man.conflict"})
	default:
		s.fail(c, err)
	}
}

// renderManual renders the queue; failed names the card whose form was
// refused, with what to show on it.
func (s *Server) renderManual(c *gin.Context, status int, notice, failed string, problem map[string]string) {
	list, err := s.ByHand.Queue(c, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "man.title", nil)
	d := manualData{Notice: notice, CanPost: v.Can(string(editor))}
	for i, p := range list {
		esc := url.PathEscape(p.DeliveryID)
		card := manualCard{Post: p, Anchor: "d-" + p.DeliveryID, ChannelKey: "channel." + p.Channel,
			Due: p.DueAt.In(s.Location).Format("15:04 02/01/2006"), ItemURL: v.Link("/items/" + url.PathEscape(p.ItemID)),
			PostedURL: v.Link("/manual/" + esc + "/posted"), SkipURL: v.Link("/manual/" + esc + "/skip")}
		for j, u := range p.Images {
			card.Images = append(card.Images, manualImage{URL: u, Name: "lan-toa-" + p.Channel + "-" + strconv.Itoa(i+1) + "-" + strconv.Itoa(j+1) + ".jpg"})
		}
		if p.DeliveryID == failed {
			card.Value, card.Reason = problem["value"], problem["reason"]
			if k := problem["error"]; k != "" {
				card.Error = v.T(k, v.T(card.ChannelKey))
			}
			if k := problem["skip"]; k != "" {
				card.SkipError = v.T(k)
			}
		}
		d.Cards = append(d.Cards, card)
	}
	v.Data = d
	s.render(c, status, pageManual, v)
}
