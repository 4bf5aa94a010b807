package rundown

import "github.com/lantoa/lantoa/store"

// Archive declares the collection of loudspeaker pushes, for `lantoa
// import`.
func Archive() []store.Collection {
	return []store.Collection{{Name: "rundown_pushes", Check: store.Decodes(func(p *pushRecord) error {
		if err := store.NonEmpty("commune_id", p.CommuneID, "station_id", p.StationID, "date", p.Date); err != nil {
			return err
		}
		return store.OneOf("state", p.State, "pushing", "sent", "failed")
	})}}
}
