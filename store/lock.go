package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// A read followed by a replace of the same document is not atomic, and the
// usual guard — replace only if the version read is still there — costs a
// scan of the whole collection on the embedded store, which pushes down no
// filter but {_id} (a document of 70 kB among sixty made one delivery
// outcome cost 264 ms instead of 47). Lock serialises such writers
// instead, across replicas: a unique insert into the small collection
// "locks" has one winner everywhere, and the writer then reads and
// replaces by _id alone.

// LockLease is how long a lock holds when its holder dies without
// releasing it.
const LockLease = 15 * time.Second

// lockWait is how long TakeLock waits for a held lock before giving up.
const lockWait = 20 * time.Second

// ErrLocked reports a lock still held by another writer after TakeLock
// waited for it.
var ErrLocked = errors.New("store: another writer holds the lock")

// TakeLock takes the lock name in db's "locks" collection, waiting while
// another writer holds it (a lock older than LockLease is taken over), and
// returns the function that releases it. now is the caller's clock.
func TakeLock(ctx context.Context, db *mongo.Database, name string, now func() time.Time) (release func(), err error) {
	locks := db.Collection("locks")
	var b [8]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	deadline := time.Now().Add(lockWait)
	for wait := time.Millisecond; ; wait = min(wait*2, 50*time.Millisecond) {
		_, err := locks.InsertOne(ctx, bson.M{"_id": name, "owner": owner, "until": now().Add(LockLease).UTC()})
		if err == nil {
			return func() { _, _ = locks.DeleteOne(context.WithoutCancel(ctx), bson.M{"_id": name, "owner": owner}) }, nil
		}
		if !IsDuplicateKey(err) {
			return nil, fmt.Errorf("taking lock %s: %w", name, err)
		}
		var held struct {
			Owner string    `bson:"owner"`
			Until time.Time `bson:"until"`
		}
		if err := locks.FindOne(ctx, bson.M{"_id": name}).Decode(&held); err == nil && now().After(held.Until) {
			// Its holder died: take it over (one winner: the delete
			// matches only the lock as read).
			_, _ = locks.DeleteOne(ctx, bson.M{"_id": name, "owner": held.Owner})
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, name)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// LockArchive declares the locks collection for `lantoa import`: a lock
// copied with a backup is harmless (it is taken over after LockLease).
func LockArchive() Collection {
	return Collection{Name: "locks", Check: Decodes(func(l *struct {
		ID    string    `bson:"_id"`
		Owner string    `bson:"owner"`
		Until time.Time `bson:"until"`
	}) error {
		return NonEmpty("_id", l.ID)
	})}
}
