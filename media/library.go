package media

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Library is the catalogue of what is stored: the uploaded photos and the
// items' current leaflets. It needs nothing but the store, so that it is
// built before campaigns, which checks items' photos and leaflets with it
// (campaigns.MediaChecker), while the Service, which renders leaflets of
// campaigns' items, is built after. The Service embeds it.
type Library struct {
	uploads  *mongo.Collection // media: one document per uploaded photo
	leaflets *mongo.Collection // leaflets: the current leaflet of an item, _id = item id
	renders  *mongo.Collection // leaflet_renders: a rendered variant set, _id = VariantKey
}

// NewLibrary returns the library over db.
func NewLibrary(db *mongo.Database) *Library {
	return &Library{uploads: db.Collection("media"), leaflets: db.Collection("leaflets"), renders: db.Collection("leaflet_renders")}
}

// GetUpload returns an upload of the caller's commune, or apperr.ErrNotFound.
func (s *Library) GetUpload(ctx context.Context, id string) (Upload, error) {
	var u Upload
	err := store.FindByID(ctx, s.uploads, id, &u)
	if store.IsNoDocuments(err) {
		return u, apperr.NotFound("photo")
	}
	if err != nil {
		return u, fmt.Errorf("media: finding upload: %w", err)
	}
	return u, nil
}

// Missing reports which of ids are not uploads of the caller's commune
// (campaigns checks an item's media_ids with it).
func (s *Library) Missing(ctx context.Context, ids []string) ([]string, error) {
	var missing []string
	for _, id := range ids {
		_, err := s.GetUpload(ctx, id)
		switch {
		case errors.Is(err, apperr.ErrNotFound):
			missing = append(missing, id)
		case err != nil:
			return nil, err
		}
	}
	return missing, nil
}

// LeafletReady returns nil when a leaflet item has a leaflet rendered since
// its text last changed, else an apperr.ErrConflict saying to render it
// (again). Other kinds are always ready. The approval workflow asks it, so
// a leaflet item never goes out as text alone.
func (s *Library) LeafletReady(ctx context.Context, it campaigns.Item) error {
	if it.Kind != campaigns.KindLeaflet {
		return nil
	}
	doc, _, err := s.current(ctx, it.ID)
	if err != nil {
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Conflict("render the leaflet first: a leaflet item goes out as its leaflet")
		}
		return err
	}
	if doc.ItemText != "" && doc.ItemText != itemTextKey(it) {
		return apperr.Conflict("the leaflet was made before the item's text last changed: make the leaflet again, so that what is approved is what goes out")
	}
	return nil
}

// current returns an item's leaflet and its variant set, or
// apperr.ErrNotFound when it has not been rendered.
func (s *Library) current(ctx context.Context, itemID string) (leafletDoc, renderSet, error) {
	var doc leafletDoc
	err := store.FindByID(ctx, s.leaflets, itemID, &doc)
	if store.IsNoDocuments(err) || (err == nil && doc.Key == "") {
		return doc, renderSet{}, apperr.NotFound("leaflet")
	}
	if err != nil {
		return doc, renderSet{}, fmt.Errorf("media: finding leaflet: %w", err)
	}
	var set renderSet
	if err := s.renders.FindOne(ctx, bson.M{"_id": doc.Key}).Decode(&set); err != nil {
		if store.IsNoDocuments(err) {
			return doc, set, apperr.NotFound("leaflet")
		}
		return doc, set, fmt.Errorf("media: finding leaflet variants: %w", err)
	}
	return doc, set, nil
}
