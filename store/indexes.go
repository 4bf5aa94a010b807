package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Index is one index a domain package wants on one of its collections.
type Index struct {
	Collection string
	Model      mongo.IndexModel
}

// EnsureIndexes creates the indexes; creating an existing index again is a
// no-op on MongoDB and on the embedded store, so this runs at every start.
func EnsureIndexes(ctx context.Context, db *mongo.Database, idx []Index) error {
	for _, ix := range idx {
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, ix.Model); err != nil {
			return fmt.Errorf("creating index on %s: %w", ix.Collection, err)
		}
	}
	return nil
}
