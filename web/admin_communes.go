package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
)

// communesData is the communes page's content.
type communesData struct {
	Communes []communeRow
	Form     communeForm
	Created  string
}

type communeRow struct {
	ID, Name, Created string
}

type communeForm struct {
	ID, Name string
	Errors   map[string]string
}

// communesPage lists the communes and offers to add one.
func (s *Server) communesPage(c *gin.Context) {
	s.renderCommunes(c, http.StatusOK, communeForm{Errors: map[string]string{}})
}

// createCommune adds a commune and seeds its observance campaigns
// (accounts.Service.CreateCommune), as POST /api/v1/communes does.
func (s *Server) createCommune(c *gin.Context) {
	form := c.Request.PostForm
	f := communeForm{ID: form.Get("id"), Name: form.Get("name"), Errors: map[string]string{}}
	cm, err := s.Accounts.CreateCommune(c, f.ID, f.Name)
	var v *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, "/admin/communes?created="+url.QueryEscape(cm.ID))
	case errors.As(err, &v) && (v.Field == "id" || v.Field == "name"):
		f.Errors[v.Field] = "err.commune_" + v.Field
		s.renderCommunes(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, apperr.ErrConflict):
		f.Errors["id"] = "err.commune_taken"
		s.renderCommunes(c, http.StatusUnprocessableEntity, f)
	default:
		s.fail(c, err)
	}
}

func (s *Server) renderCommunes(c *gin.Context, status int, f communeForm) {
	list, err := s.Accounts.ListCommunes(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := communesData{Form: f, Created: c.Query("created")}
	for _, cm := range list {
		d.Communes = append(d.Communes, communeRow{ID: cm.ID, Name: cm.Name,
			Created: cm.CreatedAt.In(s.Location).Format("02/01/2006")})
	}
	s.render(c, status, pageAdminCommunes, s.newView(c, "communes.title", d))
}
