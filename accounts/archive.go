package accounts

import (
	"errors"

	"github.com/lantoa/lantoa/store"
)

// Archive declares the collections the accounts domain writes, for
// `lantoa import`: each document must decode into its type and carry a
// known role or token kind.
func Archive() []store.Collection {
	return []store.Collection{
		{Name: "communes", Check: store.Decodes(func(c *Commune) error {
			return store.NonEmpty("_id", c.ID, "name", c.Name)
		})},
		{Name: "users", Check: store.Decodes(func(u *User) error {
			if err := store.NonEmpty("_id", u.ID, "commune_id", u.CommuneID, "username", u.Username); err != nil {
				return err
			}
			if len(u.PasswordHash) == 0 {
				return errors.New("password_hash is empty")
			}
			return store.OneOf("role", u.Role, Roles...)
		})},
		{Name: "tokens", Check: store.Decodes(func(t *token) error {
			if err := store.OneOf("kind", t.Kind, KindSession, KindCalendar, KindStation); err != nil {
				return err
			}
			if t.Kind == KindStation {
				return store.NonEmpty("commune_id", t.CommuneID, "station_id", t.StationID, "token_id", t.TokenID)
			}
			return store.NonEmpty("commune_id", t.CommuneID, "user_id", t.UserID)
		})},
	}
}
