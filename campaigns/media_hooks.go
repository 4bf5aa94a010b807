package campaigns

import (
	"context"
	"strings"

	"github.com/lantoa/lantoa/apperr"
)

// MediaChecker is what items need from the media domain; media.Service
// implements it. Without one (Service.Media nil) nothing is checked.
type MediaChecker interface {
	// Missing reports which of ids are not uploads of the caller's commune.
	Missing(ctx context.Context, ids []string) ([]string, error)
	// LeafletReady returns nil when the item may be submitted and
	// approved: a leaflet item needs its rendered leaflet (else an
	// apperr.ErrConflict saying so), so it never goes out as text alone.
	LeafletReady(ctx context.Context, it Item) error
}

// checkMediaIDs refuses media_ids that are not photos uploaded in the
// caller's commune.
func (s *Service) checkMediaIDs(ctx context.Context, it *Item) error {
	if s.media == nil || len(it.MediaIDs) == 0 {
		return nil
	}
	missing, err := s.media.Missing(ctx, it.MediaIDs)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return apperr.Invalid("media_ids", "unknown photos: %s", strings.Join(missing, ", "))
	}
	return nil
}

// leafletReady is MediaChecker.LeafletReady, when there is a checker.
func (s *Service) leafletReady(ctx context.Context, it Item) error {
	if s.media == nil {
		return nil
	}
	return s.media.LeafletReady(ctx, it)
}

// leafletReadyByID is leafletReady for item id.
func (s *Service) leafletReadyByID(ctx context.Context, id string) error {
	if s.media == nil {
		return nil
	}
	it, err := s.GetItem(ctx, id)
	if err != nil {
		return err
	}
	return s.media.LeafletReady(ctx, it)
}
