package media

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Variants of uploads: VariantOriginal names an upload's own bytes at
// /media/<upload id>/original, VariantPost the JPEG a post carries
// (PostImage: at most 2048 px, no metadata), as the platforms get it.
const (
	VariantOriginal = "original"
	VariantPost     = "post"
)

// Object is a file to serve at /media/<id>/<variant>.
type Object struct {
	// ETag is the quoted entity tag: the variant key of a leaflet's
	// variants, the SHA-256 of an upload.
	ETag        string
	ContentType string
	// Public is true for the variants of a published (approved) leaflet:
	// anyone may fetch them, and shared caches may keep them.
	Public bool
	// Immutable is true when the request named exactly these bytes (an
	// upload, or a variant URL whose ?v= is the current one), so they may
	// be cached for good.
	Immutable bool
	fileID    string
	data      []byte // bytes already at hand (a post image just made)
}

// OpenMedia decides whether viewer (nil when not signed in; else the scope
// the caller acts in) may have /media/<id>/<variant>?v=<ver> and describes
// it, without reading its bytes (ReadMedia does). Variants of a leaflet
// whose item is approved are public; any other file is for signed-in
// users of its commune. An unknown id or variant, or another commune's
// private file, gives apperr.ErrNotFound; a private file asked for by
// someone not signed in, apperr.ErrUnauthenticated.
func (s *Service) OpenMedia(ctx context.Context, viewer *store.Scope, id, variant, ver string) (Object, error) {
	if variant == VariantOriginal || variant == VariantPost {
		if viewer == nil {
			return Object{}, apperr.ErrUnauthenticated
		}
		sctx := store.WithScope(ctx, *viewer)
		u, err := s.GetUpload(sctx, id)
		if err != nil {
			return Object{}, err
		}
		if variant == VariantPost {
			data, err := s.postImage(sctx, u)
			if err != nil {
				return Object{}, err
			}
			return Object{ETag: `"` + u.SHA256 + `-post"`, ContentType: "image/jpeg", Immutable: true, data: data}, nil
		}
		return Object{ETag: `"` + u.SHA256 + `"`, ContentType: u.Format.ContentType(), Immutable: true, fileID: u.FileID}, nil
	}
	if !slices.ContainsFunc(Sizes(), func(sz Size) bool { return sz.Name == variant }) {
		return Object{}, apperr.NotFound("media")
	}
	var doc leafletDoc
	// Unscoped, by _id alone: the public may be asking; the commune
	// check follows.
	err := s.leaflets.FindOne(ctx, bson.M{"_id": id}).Decode(&doc)
	if store.IsNoDocuments(err) || (err == nil && doc.Key == "") {
		return Object{}, apperr.NotFound("media")
	}
	if err != nil {
		return Object{}, fmt.Errorf("media: finding leaflet: %w", err)
	}
	it, err := s.items.GetItem(store.WithScope(ctx, store.Scope{CommuneID: doc.CommuneID}), doc.ID)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return Object{}, err
	}
	published := err == nil && it.Status == campaigns.StatusApproved
	own := viewer != nil && viewer.CommuneID == doc.CommuneID
	switch {
	case published || own:
	case viewer == nil:
		return Object{}, apperr.ErrUnauthenticated
	default:
		return Object{}, apperr.NotFound("media")
	}
	var set renderSet
	if err := s.renders.FindOne(ctx, bson.M{"_id": doc.Key}).Decode(&set); err != nil {
		return Object{}, fmt.Errorf("media: finding leaflet variants: %w", err)
	}
	f, ok := set.Files[variant]
	if !ok {
		return Object{}, apperr.NotFound("media")
	}
	return Object{ETag: `"` + doc.Key + `"`, ContentType: f.ContentType, Public: published,
		Immutable: ver == version(doc.Key), fileID: f.FileID}, nil
}

// ReadMedia returns the bytes of an object OpenMedia described.
func (s *Service) ReadMedia(ctx context.Context, o Object) ([]byte, error) {
	if o.data != nil {
		return o.data, nil
	}
	return s.blobs.get(ctx, o.fileID)
}

// UploadURL is the address of an upload's variant (VariantOriginal or
// VariantPost), for the pages that show a post's photos.
func (s *Service) UploadURL(id, variant string) string { return s.mediaURL(id, variant, "") }

// PDF is a leaflet's print file.
type PDF struct {
	Data []byte
	// Filename is ASCII: the leaflet's title without diacritics, and the page.
	Filename string
	// ETag is quoted; it changes with the leaflet and the page.
	ETag string
}

// LeafletPDF returns the print PDF of item itemID's current leaflet (of the
// caller's commune) on page "A5" (the default, when page is empty) or
// "A4", with the print variant of that size placed edge to edge at 300
// dpi. No leaflet: apperr.ErrNotFound; another page: a *apperr.ValidationError.
func (s *Service) LeafletPDF(ctx context.Context, itemID, page string) (PDF, error) {
	page = strings.ToUpper(strings.TrimSpace(page))
	if page == "" {
		page = "A5"
	}
	variant := map[string]string{"A5": VariantPrintA5, "A4": VariantPrintA4}[page]
	if variant == "" {
		return PDF{}, apperr.Invalid("page", "must be A5 or A4")
	}
	doc, set, err := s.current(ctx, itemID)
	if err != nil {
		return PDF{}, err
	}
	img, err := s.blobs.get(ctx, set.Files[variant].FileID)
	if err != nil {
		return PDF{}, err
	}
	data, err := PrintPDF(img, page)
	if err != nil {
		return PDF{}, err
	}
	return PDF{Data: data, Filename: pdfName(doc.Title, page), ETag: `"` + doc.Key + "-" + strings.ToLower(page) + `"`}, nil
}

// pdfName is "to-roi-<title as ASCII>-a5.pdf", at most about 80 bytes.
func pdfName(title, page string) string {
	slug := accounts.Slug(title)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	name := "to-roi"
	if slug != "" {
		name += "-" + slug
	}
	return name + "-" + strings.ToLower(page) + ".pdf"
}
