package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/media"
)

// withdrawItem takes a submitted item back to draft with
// campaigns.Service.Withdraw, so that its author can change it before a
// manager decides.
func (s *Server) withdrawItem(c *gin.Context) {
	it, err := s.Campaigns.Withdraw(c, actorOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "withdrawn"))
}

// deleteItem deletes a draft that never went out with
// campaigns.Service.DeleteItem and goes to the editor's home.
func (s *Server) deleteItem(c *gin.Context) {
	if err := s.Campaigns.DeleteItem(c, actorOf(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, withCommune("/?deleted=1", c.Query("commune")))
}

// leafletPreview draws the leaflet the editor is typing (?photo= an upload
// id, title, body, hotline, template) with media.Service.PreviewLeaflet:
// the live preview the item editor shows. It stores nothing.
func (s *Server) leafletPreview(c *gin.Context) {
	q := c.Request.URL.Query()
	img, err := s.Media.PreviewLeaflet(c, media.LeafletInput{PhotoMediaID: q.Get("photo"), Title: q.Get("title"),
		Body: q.Get("body"), Hotline: q.Get("hotline"), Template: q.Get("template")})
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		c.Header("Cache-Control", "private, max-age=600")
		c.Data(http.StatusOK, "image/jpeg", img)
	case errors.As(err, &ve):
		// The text does not fit yet: the page says so next to the field.
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusUnprocessableEntity, "text/plain; charset=utf-8", []byte(url.QueryEscape(ve.Field)))
	case photoRefused(err), errors.Is(err, apperr.ErrNotFound):
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusUnprocessableEntity, "text/plain; charset=utf-8", []byte("photo"))
	default:
		s.fail(c, err)
	}
}
