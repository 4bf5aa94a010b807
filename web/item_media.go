package web

import (
	"errors"
	"mime/multipart"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
)

// The item editor's photos. A leaflet takes one photo (the form's "photo"
// file) and a post 1–10 (its "photos" files, besides the "media_ids" it
// keeps). With JavaScript the page uploads each photo as it is chosen
// (POST /api/v1/media) and the form carries only ids; without it the files
// come with the form, bounded by itemUploadLimit.
const (
	// itemUploadLimit bounds an item form that carries photos.
	itemUploadLimit = 4*media.MaxBytes + 64<<10
	// itemUploadMemory is how much of it is held in memory; the rest waits
	// in temporary files that net/http removes after the request.
	itemUploadMemory = 32 << 20
	// maxPostPhotos is how many photos a post carries (SPEC: 1–10).
	maxPostPhotos = 10
)

// takeUploads stores the photos that came with the form as uploads of the
// caller's commune: a leaflet's photo becomes f.PhotoID, a post's are added
// to f.MediaIDs and in's media ids. A photo that cannot be used is an error
// next to its field; nothing else is stored for it.
func (s *Server) takeUploads(c *gin.Context, f *itemForm, in *campaigns.ItemInput) error {
	form := c.Request.MultipartForm
	if form == nil {
		return nil
	}
	switch f.Kind {
	case campaigns.KindLeaflet:
		if files := form.File["photo"]; len(files) > 0 && files[0].Size > 0 {
			id, err := s.storeUpload(c, files[0])
			if photoRefused(err) {
				f.errs["photo"] = msg{Key: "lf.bad_photo"}
				return nil
			}
			if err != nil {
				return err
			}
			f.PhotoID = id
		}
	case campaigns.KindPost:
		for _, fh := range form.File["photos"] {
			if fh.Size == 0 {
				continue
			}
			if len(f.MediaIDs) >= maxPostPhotos {
				f.errs["photos"] = msg{Key: "ierr.photos_max", Args: []any{maxPostPhotos}}
				break
			}
			id, err := s.storeUpload(c, fh)
			if photoRefused(err) {
				f.errs["photos"] = msg{Key: "lf.bad_photo"}
				continue
			}
			if err != nil {
				return err
			}
			if !slices.Contains(f.MediaIDs, id) {
				f.MediaIDs = append(f.MediaIDs, id)
			}
		}
		ids := slices.Clone(f.MediaIDs)
		in.MediaIDs = &ids
	}
	return nil
}

func (s *Server) storeUpload(c *gin.Context, fh *multipart.FileHeader) (string, error) {
	file, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer file.Close()
	data, err := media.ReadUpload(file)
	if err != nil {
		return "", err
	}
	u, err := s.Media.SaveUpload(c, principal(c).Username, data)
	return u.ID, err
}

// photoRefused reports an upload refused for what it is (not an image, too
// big, damaged), as opposed to a failure of ours.
func photoRefused(err error) bool {
	var ve *apperr.ValidationError
	return errors.As(err, &ve) || errors.Is(err, media.ErrTooLarge) || errors.Is(err, media.ErrUnsupportedType) ||
		errors.Is(err, media.ErrTooManyPixels) || errors.Is(err, media.ErrCorrupt)
}

// leafletErrors checks a leaflet item's form before anything is stored: its
// text must fit a leaflet (the title and body are the leaflet's), and
// sending it for approval needs a photo (a leaflet goes out as its image).
// have is the item's current leaflet, nil when it has none.
func leafletErrors(f *itemForm, in campaigns.ItemInput, submit bool, have *media.LeafletView) {
	if f.Kind != campaigns.KindLeaflet {
		return
	}
	if f.PhotoID == "" && have != nil {
		f.PhotoID = have.PhotoMediaID
	}
	spec := media.Leaflet{Title: *in.Title, Body: *in.Body, Hotline: f.Hotline, Template: f.Template,
		QRURL: "https://lantoa.invalid/q/xxxxxxxx"}
	var ve *apperr.ValidationError
	if err := spec.Validate(); errors.As(err, &ve) {
		switch ve.Field {
		case "title":
			f.errs["title"] = msg{Key: "ierr.leaflet_title", Args: []any{media.MaxTitleRunes}}
		case "body":
			f.errs["body"] = msg{Key: "ierr.leaflet_body", Args: []any{media.MaxBodyRunes}}
		case "hotline":
			f.errs["hotline"] = msg{Key: "ierr.hotline", Args: []any{media.MaxHotlineRunes}}
		}
	}
	if submit && f.PhotoID == "" {
		f.errs["photo"] = msg{Key: "ierr.photo_required"}
	}
}

// leafletChanged reports whether the form asks for another leaflet than the
// current one (have, nil when none): another photo, hotline or template.
// The text is the item's, checked by the item's own comparison.
func leafletChanged(f itemForm, have *media.LeafletView) bool {
	if f.Kind != campaigns.KindLeaflet || f.PhotoID == "" {
		return false
	}
	if have == nil {
		return true
	}
	clean := media.Leaflet{Hotline: f.Hotline}.Canonical()
	return f.PhotoID != have.PhotoMediaID || clean.Hotline != have.Hotline || f.Template != have.Template
}

// keepChoices keeps the hotline and template of a leaflet item that has
// no photo yet (f.PhotoID is the current one's when it has a render), for
// its page and its first render (media.KeepLeafletChoices), and reports
// whether they changed.
func (s *Server) keepChoices(c *gin.Context, it campaigns.Item, f itemForm) (bool, error) {
	if it.Kind != campaigns.KindLeaflet || f.PhotoID != "" || s.Media == nil {
		return false, nil
	}
	return s.Media.KeepLeafletChoices(c, it.ID, f.Hotline, f.Template)
}
