package stamps

import "github.com/lantoa/lantoa/store"

// stampDoc is a stamp as stored: _id = the key, v = its version.
type stampDoc struct {
	Key string `bson:"_id"`
	V   int64  `bson:"v"`
}

// Archive declares the stamps collection, for `lantoa import`.
func Archive() []store.Collection {
	return []store.Collection{{Name: "stamps", Check: store.Decodes(func(d *stampDoc) error {
		return store.NonEmpty("_id", d.Key)
	})}}
}
