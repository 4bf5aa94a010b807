package stations

import (
	"errors"

	"github.com/lantoa/lantoa/store"
)

// Archive declares the collection of loudspeaker stations, for `lantoa
// import`.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "stations", Check: store.Decodes(func(s *Station) error {
			if s.Households < 0 {
				return errors.New("households is negative")
			}
			return store.NonEmpty("_id", s.ID, "commune_id", s.CommuneID, "name", s.Name)
		})},
	}
}
