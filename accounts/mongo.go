package accounts

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// Indexes are the accounts collections' indexes: usernames are unique across
// the installation so that sign-in needs no commune.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: "users", Model: mongo.IndexModel{Keys: bson.D{{Key: "username", Value: 1}}, Options: options.Index().SetUnique(true)}},
		{Collection: "users", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}},
		{Collection: "tokens", Model: mongo.IndexModel{Keys: bson.D{{Key: "user_id", Value: 1}}}},
		{Collection: "tokens", Model: mongo.IndexModel{Keys: bson.D{{Key: "expires_at", Value: 1}}}},
	}
}
