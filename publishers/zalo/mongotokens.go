package zalo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TokensCollection holds one document per commune's OA: the token chain
// and the refresh lease.
const TokensCollection = "zalo_tokens"

// tokenDoc is a TokensCollection document. Tokens are stored as they are:
// the rotated refresh token exists nowhere else, so the database must be
// protected like the configuration that seeded it.
type tokenDoc struct {
	ID           string    `bson:"_id"`
	CommuneID    string    `bson:"commune_id"`
	AccessToken  string    `bson:"access_token"`
	RefreshToken string    `bson:"refresh_token"`
	ExpiresAt    time.Time `bson:"expires_at"`
	Version      int64     `bson:"version"`
	Seed         string    `bson:"seed"` // SHA-256 of the configured refresh token
	LeaseOwner   string    `bson:"lease_owner"`
	LeaseUntil   time.Time `bson:"lease_until"`
	UpdatedAt    time.Time `bson:"updated_at"`
}

// MongoTokenStore is the TokenStore replicas share. Every change is one
// conditional single-document update, which is atomic on MongoDB and on the
// embedded store used through one connection (DESIGN §2); the lease expires
// by time, checked in the update's filter (no TTL index needed).
type MongoTokenStore struct {
	coll    *mongo.Collection
	commune string
	now     func() time.Time
}

var _ TokenStore = (*MongoTokenStore)(nil)

// NewMongoTokenStore returns the token store of commune's OA in db.
func NewMongoTokenStore(db *mongo.Database, commune string, now func() time.Time) *MongoTokenStore {
	if now == nil {
		now = time.Now
	}
	return &MongoTokenStore{coll: db.Collection(TokensCollection), commune: commune, now: now}
}

// Seed implements TokenStore. Two replicas seeding at once insert the same
// _id: one wins, the other's duplicate-key error is ignored.
func (s *MongoTokenStore) Seed(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return nil
	}
	h := seedHash(refreshToken)
	var cur tokenDoc
	err := s.coll.FindOne(ctx, bson.M{"_id": s.commune}).Decode(&cur)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		_, err = s.coll.InsertOne(ctx, tokenDoc{ID: s.commune, CommuneID: s.commune, RefreshToken: refreshToken,
			Version: 1, Seed: h, LeaseUntil: time.Unix(0, 0).UTC(), UpdatedAt: s.now()})
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("seeding zalo tokens: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("reading zalo tokens: %w", err)
	case cur.Seed == h:
		return nil
	}
	_, err = s.coll.UpdateOne(ctx, bson.M{"_id": s.commune, "version": cur.Version}, bson.M{"$set": bson.M{
		"refresh_token": refreshToken, "access_token": "", "expires_at": time.Unix(0, 0).UTC(),
		"version": cur.Version + 1, "seed": h, "updated_at": s.now(),
	}})
	if err != nil {
		return fmt.Errorf("reseeding zalo tokens: %w", err)
	}
	return nil
}

// Load implements TokenStore.
func (s *MongoTokenStore) Load(ctx context.Context) (Tokens, error) {
	var d tokenDoc
	err := s.coll.FindOne(ctx, bson.M{"_id": s.commune}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Tokens{}, ErrNoTokens
	}
	if err != nil {
		return Tokens{}, fmt.Errorf("reading zalo tokens: %w", err)
	}
	return Tokens{AccessToken: d.AccessToken, RefreshToken: d.RefreshToken, ExpiresAt: d.ExpiresAt, Version: d.Version}, nil
}

// AcquireLease implements TokenStore with one conditional update: it
// matches only when the lease has expired (released leases are expired) or
// is already owner's.
func (s *MongoTokenStore) AcquireLease(ctx context.Context, owner string, ttl time.Duration) (bool, error) {
	now := s.now()
	res, err := s.coll.UpdateOne(ctx,
		bson.M{"_id": s.commune, "$or": bson.A{bson.M{"lease_until": bson.M{"$lt": now}}, bson.M{"lease_owner": owner}}},
		bson.M{"$set": bson.M{"lease_owner": owner, "lease_until": now.Add(ttl)}})
	if err != nil {
		return false, fmt.Errorf("taking the zalo refresh lease: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// ReleaseLease implements TokenStore.
func (s *MongoTokenStore) ReleaseLease(ctx context.Context, owner string) error {
	_, err := s.coll.UpdateOne(ctx, bson.M{"_id": s.commune, "lease_owner": owner},
		bson.M{"$set": bson.M{"lease_owner": "", "lease_until": time.Unix(0, 0).UTC()}})
	if err != nil {
		return fmt.Errorf("releasing the zalo refresh lease: %w", err)
	}
	return nil
}

// Save implements TokenStore as a compare-and-set on the version.
func (s *MongoTokenStore) Save(ctx context.Context, prev int64, t Tokens) error {
	res, err := s.coll.UpdateOne(ctx, bson.M{"_id": s.commune, "version": prev}, bson.M{"$set": bson.M{
		"access_token": t.AccessToken, "refresh_token": t.RefreshToken, "expires_at": t.ExpiresAt,
		"version": t.Version, "updated_at": s.now(),
	}})
	if err != nil {
		return fmt.Errorf("saving zalo tokens: %w", err)
	}
	if res.MatchedCount == 0 {
		return ErrStaleVersion
	}
	return nil
}
