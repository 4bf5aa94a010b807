package media

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// renderTimeout bounds one render, which goes on when the request that
// started it is gone (the variants are cached for the next one).
const renderTimeout = 3 * time.Minute

// ensureLeaflet returns the item's leaflet document, creating it with a new
// QR code the first time. The code is reserved in qr_codes first (a unique
// insert), so two items never share one; of two concurrent first requests
// for one item, the leaflet insert has one winner and the loser's code is
// given back.
func (s *Service) ensureLeaflet(ctx context.Context, it campaigns.Item) (leafletDoc, error) {
	var doc leafletDoc
	err := store.FindByID(ctx, s.leaflets, it.ID, &doc)
	if err == nil || !store.IsNoDocuments(err) {
		return doc, err
	}
	for range 5 {
		code, err := newCode()
		if err != nil {
			return doc, err
		}
		now := s.now().UTC()
		_, err = s.codes.InsertOne(ctx, qrCode{ID: code, CommuneID: it.CommuneID, ItemID: it.ID, CreatedAt: now})
		if store.IsDuplicateKey(err) {
			continue
		}
		if err != nil {
			return doc, fmt.Errorf("media: reserving a QR code: %w", err)
		}
		doc = leafletDoc{ID: it.ID, CommuneID: it.CommuneID, Code: code, CreatedAt: now}
		_, err = s.leaflets.InsertOne(ctx, doc)
		if store.IsDuplicateKey(err) {
			_, _ = s.codes.DeleteOne(ctx, bson.M{"_id": code})
			err = store.FindByID(ctx, s.leaflets, it.ID, &doc)
		}
		if err != nil {
			return doc, fmt.Errorf("media: creating the leaflet: %w", err)
		}
		return doc, nil
	}
	return doc, errors.New("media: no free QR code after 5 tries")
}

// variantSet returns the variant set of key, rendering and storing it only
// when there is none (cached is then false). Concurrent requests for one
// key on this replica share one render.
func (s *Service) variantSet(ctx context.Context, key string, photo Upload, spec Leaflet) (set renderSet, cached bool, err error) {
	err = s.renders.FindOne(ctx, bson.M{"_id": key}).Decode(&set)
	if err == nil {
		return set, true, nil
	}
	if !store.IsNoDocuments(err) {
		return set, false, fmt.Errorf("media: looking up rendered variants: %w", err)
	}
	v, err, _ := s.flight.Do(key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		return s.render(rctx, key, photo, spec)
	})
	if err != nil {
		return set, false, err
	}
	return v.(renderSet), false, nil
}

// render draws every variant of spec over the photo and stores them: the
// files first, then the set that names them, so a stored set always names
// files that exist. A set stored meanwhile by another replica wins, and
// this render's files are removed.
func (s *Service) render(ctx context.Context, key string, photo Upload, spec Leaflet) (renderSet, error) {
	orig, err := s.blobs.get(ctx, photo.FileID)
	if err != nil {
		return renderSet{}, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return renderSet{}, err
	}
	img, err := Decode(orig)
	var variants Variants
	if err == nil {
		variants, err = Render(img, spec)
	}
	release()
	if err != nil {
		return renderSet{}, err
	}
	s.renderN.Add(1)
	set := renderSet{ID: key, CommuneID: photo.CommuneID, TemplateVersion: TemplateVersion,
		Files: map[string]renderedImg{}, CreatedAt: s.now().UTC()}
	for name, v := range variants {
		fileID := "variant-" + bson.NewObjectID().Hex()
		meta := bson.M{"commune_id": photo.CommuneID, "kind": "variant", "key": key, "variant": name, "content_type": v.ContentType}
		if err := s.blobs.put(ctx, fileID, key[:16]+"-"+name+".jpg", v.Data, meta); err != nil {
			s.removeFiles(ctx, set)
			return renderSet{}, err
		}
		set.Files[name] = renderedImg{FileID: fileID, Width: v.Width, Height: v.Height, Bytes: len(v.Data), ContentType: v.ContentType}
	}
	_, err = s.renders.InsertOne(ctx, set)
	if store.IsDuplicateKey(err) {
		s.removeFiles(ctx, set)
		var won renderSet
		err = s.renders.FindOne(ctx, bson.M{"_id": key}).Decode(&won)
		return won, err
	}
	if err != nil {
		s.removeFiles(ctx, set)
		return renderSet{}, fmt.Errorf("media: recording rendered variants: %w", err)
	}
	return set, nil
}

func (s *Service) removeFiles(ctx context.Context, set renderSet) {
	for _, f := range set.Files {
		s.blobs.remove(ctx, f.FileID)
	}
}
