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
	"github.com/lantoa/lantoa/media"
)

// leafletUploadPath is the one page route that takes a multipart body (a
// photo): bodyLimit gives it the upload's size limit instead of a form's.
const leafletUploadPath = "/items/:id/leaflet/photo"

// leafletUploadLimit bounds the photo upload: the largest accepted photo
// plus room for the multipart framing and the CSRF field.
const leafletUploadLimit = media.MaxBytes + 64<<10

// leafletData is the leaflet studio of a leaflet item (SPEC §3E): upload a
// photo, choose the hotline and template, render, and see the variants.
// The leaflet's title and body are the item's (Title, Body), edited on the
// item's page only, so that what the manager approves and what is printed
// are one text.
type leafletData struct {
	Item                       campaigns.Item
	ItemURL, UploadURL, Action string
	Photo, Title, Body         string
	Hotline, Template          string
	Templates                  []string
	// OldText: the current render's text is not the item's (rendered
	// before the item was edited, or through the API with other text).
	OldText bool
	// Leaflet is the current render, when there is one.
	Leaflet  *media.LeafletView
	Variants []leafletVariant
	Notice   string // catalogue key
	Error    string // catalogue key
}

type leafletVariant struct {
	Name, URL, Size string
	Width, Height   int
}

// leafletPage shows the studio.
func (s *Server) leafletPage(c *gin.Context) {
	notice := ""
	switch {
	case c.Query("rendered") != "":
		notice = "lf.rendered"
	case c.Query("photo") != "":
		notice = "lf.uploaded"
	}
	s.showLeaflet(c, http.StatusOK, nil, notice, "")
}

func (s *Server) showLeaflet(c *gin.Context, status int, in *media.LeafletInput, notice, errKey string) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if it.Kind != campaigns.KindLeaflet {
		s.fail(c, apperr.NotFound("leaflet item"))
		return
	}
	v := s.newView(c, "lf.title", nil)
	base := "/items/" + url.PathEscape(it.ID)
	d := leafletData{Item: it, ItemURL: v.Link(base), UploadURL: v.Link(base + "/leaflet/photo"), Action: v.Link(base + "/leaflet"),
		Templates: media.Templates(), Notice: notice, Error: errKey, Title: it.Title, Body: it.Body}
	lv, err := s.Media.Leaflet(c, it.ID)
	switch {
	case err == nil:
		d.Leaflet = &lv
		d.Photo, d.Hotline, d.Template = lv.PhotoMediaID, lv.Hotline, lv.Template
		d.OldText = lv.Title != it.Title || lv.Body != it.Body
		for _, name := range []string{media.VariantThumb, media.VariantFacebook, media.VariantZalo, media.VariantPrintA5, media.VariantPrintA4} {
			if u, ok := lv.Variants[name]; ok {
				d.Variants = append(d.Variants, leafletVariant{Name: name, URL: u, Width: lv.Sizes[name].Width, Height: lv.Sizes[name].Height,
					Size: strconv.Itoa(lv.Sizes[name].Width) + "×" + strconv.Itoa(lv.Sizes[name].Height)})
			}
		}
	case !errors.Is(err, apperr.ErrNotFound):
		s.fail(c, err)
		return
	default: // none rendered yet: the hotline and template a draft was saved with
		if d.Hotline, d.Template, err = s.Media.LeafletChoices(c, it.ID); err != nil {
			s.fail(c, err)
			return
		}
	}
	if p := c.Query("photo"); p != "" {
		d.Photo = p
	}
	if in != nil {
		d.Photo, d.Hotline, d.Template = in.PhotoMediaID, in.Hotline, in.Template
	}
	if d.Template == "" {
		d.Template = d.Templates[0]
	}
	v.Data = d
	s.render(c, status, pageLeaflet, v)
}

// uploadLeafletPhoto stores the photo with media's upload service and comes
// back to the studio with it chosen.
func (s *Server) uploadLeafletPhoto(c *gin.Context) {
	id := c.Param("id")
	form := c.Request.MultipartForm
	if form == nil || len(form.File["photo"]) == 0 {
		s.showLeaflet(c, http.StatusUnprocessableEntity, nil, "", "lf.no_photo")
		return
	}
	f, err := form.File["photo"][0].Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	data, err := media.ReadUpload(f)
	if err == nil {
		var u media.Upload
		u, err = s.Media.SaveUpload(c, principal(c).Username, data)
		if err == nil {
			c.Redirect(http.StatusSeeOther, withCommune("/items/"+url.PathEscape(id)+"/leaflet?"+url.Values{"photo": {u.ID}}.Encode(), c.Query("commune")))
			return
		}
	}
	var ve *apperr.ValidationError
	if errors.As(err, &ve) || errors.Is(err, media.ErrTooLarge) || errors.Is(err, media.ErrUnsupportedType) ||
		errors.Is(err, media.ErrTooManyPixels) || errors.Is(err, media.ErrCorrupt) {
		s.showLeaflet(c, http.StatusUnprocessableEntity, nil, "", "lf.bad_photo")
		return
	}
	s.fail(c, err)
}

// renderLeaflet renders the leaflet with media.RenderLeaflet, as POST
// /api/v1/items/:id/leaflet does, from the item's own title and body.
func (s *Server) renderLeaflet(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	f := c.Request.PostForm
	in := media.LeafletInput{PhotoMediaID: f.Get("photo"), Title: it.Title, Body: it.Body, Hotline: f.Get("hotline"), Template: f.Get("template")}
	if in.PhotoMediaID == "" {
		s.showLeaflet(c, http.StatusUnprocessableEntity, &in, "", "lf.no_photo")
		return
	}
	if !slices.Contains(media.Templates(), in.Template) {
		in.Template = ""
	}
	p := principal(c)
	_, err = s.Media.RenderLeaflet(c, campaigns.Actor{UserID: p.UserID, Username: p.Username}, it.ID, in)
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, withCommune("/items/"+url.PathEscape(c.Param("id"))+"/leaflet?rendered=1", c.Query("commune")))
	case errors.As(err, &ve):
		s.showLeaflet(c, http.StatusUnprocessableEntity, &in, "", "lf.invalid")
	case errors.Is(err, apperr.ErrConflict):
		s.showLeaflet(c, http.StatusConflict, &in, "", "lf.conflict")
	case errors.Is(err, apperr.ErrNotFound) && in.PhotoMediaID != "":
		s.showLeaflet(c, http.StatusUnprocessableEntity, &in, "", "lf.no_photo")
	default:
		s.fail(c, err)
	}
}
