package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// LeafletInput is what an editor asks a leaflet to say.
type LeafletInput struct {
	PhotoMediaID string `json:"photo_media_id"`
	Title        string `json:"title"`
	Body         string `json:"body"`
	Hotline      string `json:"hotline"`
	Template     string `json:"template"`
}

// leafletDoc is an item's leaflet (collection leaflets, _id = the item's
// id): its QR code, fixed when the item first gets a leaflet, and the
// variant set it shows now (Key, empty until the first render).
type leafletDoc struct {
	ID           string `bson:"_id"`
	CommuneID    string `bson:"commune_id"`
	Code         string `bson:"code"`
	Key          string `bson:"key,omitempty"`
	PhotoMediaID string `bson:"photo_media_id,omitempty"`
	PhotoSHA256  string `bson:"photo_sha256,omitempty"`
	Title        string `bson:"title,omitempty"`
	Body         string `bson:"body,omitempty"`
	Hotline      string `bson:"hotline,omitempty"`
	Template     string `bson:"template,omitempty"`
	// ItemText is itemTextKey of the item's text when the leaflet was last
	// made for it: an item whose text changed since has a stale leaflet.
	ItemText   string     `bson:"item_text,omitempty"`
	RenderedBy string     `bson:"rendered_by,omitempty"`
	RenderedAt *time.Time `bson:"rendered_at,omitempty"`
	CreatedAt  time.Time  `bson:"created_at"`
}

// renderSet is one rendered variant set (collection leaflet_renders,
// _id = its VariantKey): where each variant's bytes are in GridFS.
type renderSet struct {
	ID              string                 `bson:"_id"`
	CommuneID       string                 `bson:"commune_id"`
	TemplateVersion string                 `bson:"template_version"`
	Files           map[string]renderedImg `bson:"files"`
	CreatedAt       time.Time              `bson:"created_at"`
}

type renderedImg struct {
	FileID      string `bson:"file_id"`
	Width       int    `bson:"width"`
	Height      int    `bson:"height"`
	Bytes       int    `bson:"bytes"`
	ContentType string `bson:"content_type"`
}

// VariantInfo is the size of one rendered variant.
type VariantInfo struct {
	Width  int `json:"width"`
	Height int `json:"height"`
	Bytes  int `json:"bytes"`
}

// LeafletView is an item's current leaflet as the API shows it.
type LeafletView struct {
	ItemID string `json:"item_id"`
	// Variants are the public addresses of the images by variant name;
	// they change whenever the leaflet does, so they can be cached forever.
	Variants     map[string]string      `json:"variants"`
	Sizes        map[string]VariantInfo `json:"sizes"`
	PDF          string                 `json:"pdf"`
	PDFA4        string                 `json:"pdf_a4"`
	QRURL        string                 `json:"qr_url"`
	Code         string                 `json:"code"`
	Key          string                 `json:"key"`
	PhotoMediaID string                 `json:"photo_media_id"`
	Title        string                 `json:"title"`
	Body         string                 `json:"body"`
	Hotline      string                 `json:"hotline"`
	Template     string                 `json:"template"`
	RenderedAt   *time.Time             `json:"rendered_at,omitempty"`
	// Cached is true when the variants were already rendered for exactly
	// these inputs and nothing was drawn for this request.
	Cached bool `json:"cached"`
}

// RenderLeaflet makes in the current leaflet of item itemID (a leaflet item
// of the caller's commune) and returns it. Variants are looked up by their
// VariantKey first: the same inputs never render twice. The item's QR code
// is made on its first leaflet and kept for good. Once the item is
// submitted or approved its leaflet can only be asked for again as it is:
// a different one gives apperr.ErrConflict until an edit returns the item
// to draft. Unknown item or photo: apperr.ErrNotFound.
func (s *Service) RenderLeaflet(ctx context.Context, a campaigns.Actor, itemID string, in LeafletInput) (LeafletView, error) {
	it, err := s.items.GetItem(ctx, itemID)
	if err != nil {
		return LeafletView{}, err
	}
	if it.Kind != campaigns.KindLeaflet {
		return LeafletView{}, apperr.Conflict("this item is a %s; only leaflet items have a leaflet", it.Kind)
	}
	if in.PhotoMediaID == "" {
		return LeafletView{}, apperr.Invalid("photo_media_id", "is required: upload a photo first")
	}
	photo, err := s.GetUpload(ctx, in.PhotoMediaID)
	if err != nil {
		return LeafletView{}, err
	}
	spec := Leaflet{Title: in.Title, Body: in.Body, Hotline: in.Hotline, Template: in.Template, QRURL: s.qrURL(placeholderCode)}
	if err := spec.Validate(); err != nil { // before a code is made for nothing
		return LeafletView{}, err
	}
	doc, err := s.ensureLeaflet(ctx, it)
	if err != nil {
		return LeafletView{}, err
	}
	spec.QRURL = s.qrURL(doc.Code)
	key := VariantKey(photo.SHA256, spec)
	if doc.Key != "" && doc.Key != key && it.Status != campaigns.StatusDraft {
		return LeafletView{}, apperr.Conflict("the item is %s: edit it first (it returns to draft), then change its leaflet", it.Status)
	}
	set, cached, err := s.variantSet(ctx, key, photo, spec)
	if err != nil {
		return LeafletView{}, err
	}
	textKey := itemTextKey(it)
	if doc.Key == key && doc.ItemText != textKey {
		// The same leaflet made again for a changed text: it is current now.
		if _, err := s.leaflets.UpdateOne(ctx, bson.M{"_id": doc.ID}, bson.M{"$set": bson.M{"item_text": textKey}}); err != nil {
			return LeafletView{}, fmt.Errorf("media: recording the leaflet: %w", err)
		}
		doc.ItemText = textKey
	}
	if doc.Key != key {
		c := spec.canonical()
		now := s.now().UTC()
		doc.ItemText = textKey
		doc.Key, doc.PhotoMediaID, doc.PhotoSHA256 = key, photo.ID, photo.SHA256
		doc.Title, doc.Body, doc.Hotline, doc.Template = c.Title, c.Body, c.Hotline, c.Template
		doc.RenderedBy, doc.RenderedAt = a.Username, &now
		// By _id alone: doc was read in the caller's scope, and only this
		// item's editors write it.
		if _, err := s.leaflets.ReplaceOne(ctx, bson.M{"_id": doc.ID}, doc); err != nil {
			return LeafletView{}, fmt.Errorf("media: recording the leaflet: %w", err)
		}
		s.items.Record(ctx, campaigns.AuditEntry{Actor: a.Username, Action: "item.leaflet", ItemID: it.ID,
			CampaignID: it.CampaignID, Detail: fmt.Sprintf("%s (leaflet %s, %s)", c.Title, key[:12], c.Template)})
	}
	v := s.view(doc, set)
	v.Cached = cached
	return v, nil
}

// KeepLeafletChoices records the hotline and template chosen for the
// leaflet of item itemID (a leaflet item of the caller's commune) before it
// has a photo to be rendered with, so that a draft keeps them: its first
// render takes them from the form again. A leaflet already rendered keeps
// the render's own, which only a new render changes. It reports whether
// it changed what was kept.
func (s *Service) KeepLeafletChoices(ctx context.Context, itemID, hotline, template string) (bool, error) {
	it, err := s.items.GetItem(ctx, itemID)
	if err != nil {
		return false, err
	}
	if it.Kind != campaigns.KindLeaflet {
		return false, apperr.Conflict("this item is a %s; only leaflet items have a leaflet", it.Kind)
	}
	// Checked as a render would check them (the title is the item's, and
	// not kept here).
	l := Leaflet{Title: "-", Hotline: hotline, Template: template, QRURL: s.qrURL(placeholderCode)}
	if err := l.Validate(); err != nil {
		return false, err
	}
	c := l.canonical()
	doc, err := s.ensureLeaflet(ctx, it)
	if err != nil || doc.Key != "" {
		return false, err
	}
	if kept := (Leaflet{Hotline: doc.Hotline, Template: doc.Template}).canonical(); kept.Hotline == c.Hotline && kept.Template == c.Template {
		return false, nil
	}
	// By _id alone, as RenderLeaflet writes: doc was read in the caller's
	// scope. A render meanwhile set key, and wins.
	_, err = s.leaflets.UpdateOne(ctx, bson.M{"_id": doc.ID, "key": bson.M{"$exists": false}},
		bson.M{"$set": bson.M{"hotline": c.Hotline, "template": c.Template}})
	if err != nil {
		return false, fmt.Errorf("media: keeping the leaflet's hotline: %w", err)
	}
	return true, nil
}

// LeafletChoices returns the hotline and template of item itemID's
// leaflet, rendered or only chosen (KeepLeafletChoices): none and the
// default template when it has neither yet.
func (s *Service) LeafletChoices(ctx context.Context, itemID string) (hotline, template string, err error) {
	var doc leafletDoc
	err = store.FindByID(ctx, s.leaflets, itemID, &doc)
	if err != nil && !store.IsNoDocuments(err) {
		return "", "", fmt.Errorf("media: finding leaflet: %w", err)
	}
	c := Leaflet{Hotline: doc.Hotline, Template: doc.Template}.canonical()
	return c.Hotline, c.Template, nil
}

// Leaflet returns the current leaflet of item itemID of the caller's
// commune, or apperr.ErrNotFound when it has none yet.
func (s *Service) Leaflet(ctx context.Context, itemID string) (LeafletView, error) {
	doc, set, err := s.current(ctx, itemID)
	if err != nil {
		return LeafletView{}, err
	}
	v := s.view(doc, set)
	v.Cached = true
	return v, nil
}

// itemTextKey identifies an item's text (title and body) for LeafletReady.
func itemTextKey(it campaigns.Item) string {
	sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Body))
	return hex.EncodeToString(sum[:8])
}

// view is the API's picture of a leaflet. Variant URLs carry a prefix of
// the key, so that a changed leaflet has new URLs.
func (s *Service) view(doc leafletDoc, set renderSet) LeafletView {
	v := LeafletView{ItemID: doc.ID, Variants: map[string]string{}, Sizes: map[string]VariantInfo{},
		PDF:   s.baseURL + "/api/v1/items/" + doc.ID + "/leaflet.pdf",
		PDFA4: s.baseURL + "/api/v1/items/" + doc.ID + "/leaflet.pdf?page=A4",
		QRURL: s.qrURL(doc.Code), Code: doc.Code, Key: doc.Key, PhotoMediaID: doc.PhotoMediaID,
		Title: doc.Title, Body: doc.Body, Hotline: doc.Hotline, Template: doc.Template, RenderedAt: doc.RenderedAt}
	for name, f := range set.Files {
		v.Variants[name] = s.mediaURL(doc.ID, name, version(doc.Key))
		v.Sizes[name] = VariantInfo{Width: f.Width, Height: f.Height, Bytes: f.Bytes}
	}
	return v
}

// version is the ?v= of a variant URL: enough of the key to tell renders
// of one item apart.
func version(key string) string { return key[:min(16, len(key))] }

// LeafletImageURL returns the public URL of the facebook variant of item
// itemID's current leaflet (the portal feed's enclosure), or
// apperr.ErrNotFound when it has none.
func (s *Service) LeafletImageURL(ctx context.Context, itemID string) (string, error) {
	doc, _, err := s.current(ctx, itemID)
	if err != nil {
		return "", err
	}
	return s.mediaURL(doc.ID, VariantFacebook, version(doc.Key)), nil
}
