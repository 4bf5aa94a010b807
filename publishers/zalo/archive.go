package zalo

import "github.com/lantoa/lantoa/store"

// Archive declares the collection of Zalo token chains, for `lantoa
// import`.
func Archive() []store.Collection {
	return []store.Collection{{Name: TokensCollection, Check: store.Decodes(func(d *tokenDoc) error {
		return store.NonEmpty("_id", d.ID, "refresh_token", d.RefreshToken)
	})}}
}
