package scriptaudio

import (
	"context"
	"errors"
	"slices"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/store"
)

// Viewer is who asks for a sound.
type Viewer struct {
	// CommuneID is the commune the caller acts in; "" when not signed in.
	CommuneID string
	// StationsOnly keeps the caller to the scripts read on Stations: an
	// operator, or a station device's token. Everyone else signed in hears
	// the scripts of the commune, as they read its rundowns.
	StationsOnly bool
	Stations     []string
}

// Sound is a sound the viewer may hear.
type Sound struct {
	media.Audio
	// Public is true when a script carrying it is approved (published):
	// anyone may have it, and shared caches may keep it.
	Public bool
}

// Open decides whether v may hear sound id, "as the script's rundown"
// (SPEC §6.3): the commune's editors, managers and admins, operators and
// station tokens of a station the script is read on, and anyone once a
// script carrying it is approved. A script that no longer carries the
// sound opens nothing. Unknown, or another commune's private sound:
// apperr.ErrNotFound; a private sound for someone not signed in:
// apperr.ErrUnauthenticated.
func (s *Service) Open(ctx context.Context, v Viewer, id string) (Sound, error) {
	a, err := s.d.Media.FindAudio(ctx, id)
	if err != nil {
		return Sound{}, err
	}
	sctx := store.WithScope(ctx, store.Scope{CommuneID: a.CommuneID})
	snd := Sound{Audio: a}
	allowed := false
	for _, itemID := range a.Items {
		it, err := s.d.Items.GetItem(sctx, itemID)
		if errors.Is(err, apperr.ErrNotFound) {
			continue
		}
		if err != nil {
			return Sound{}, err
		}
		if it.Audio == nil || it.Audio.ID != id {
			continue
		}
		snd.Public = snd.Public || it.Status == campaigns.StatusApproved
		own := v.CommuneID == a.CommuneID
		allowed = allowed || (own && (!v.StationsOnly || slices.ContainsFunc(it.StationIDs, func(st string) bool {
			return slices.Contains(v.Stations, st)
		})))
	}
	switch {
	case snd.Public || allowed:
		return snd, nil
	case v.CommuneID == "":
		return Sound{}, apperr.ErrUnauthenticated
	}
	return Sound{}, apperr.NotFound("audio")
}

// Read returns the bytes of a sound Open let through.
func (s *Service) Read(ctx context.Context, snd Sound) ([]byte, error) {
	return s.d.Media.ReadAudio(ctx, snd.Audio)
}
