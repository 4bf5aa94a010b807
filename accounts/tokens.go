package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Token kinds: what a token may be used for.
const (
	// KindSession is a sign-in: the login response's bearer token and cookie.
	KindSession = "session"
	// KindCalendar is read-only and good only for the iCalendar feed.
	KindCalendar = "calendar"
)

// ErrRateLimited means too many failed sign-ins; the caller must wait.
var ErrRateLimited = errors.New("too many failed sign-in attempts")

// RateLimitError is ErrRateLimited with how long the caller must wait.
type RateLimitError struct{ Wait time.Duration }

func (e *RateLimitError) Error() string { return ErrRateLimited.Error() }
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// token is a stored credential. Only the SHA-256 of the secret is kept.
type token struct {
	Hash      string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	UserID    string    `bson:"user_id"`
	CommuneID string    `bson:"commune_id"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
	LastUsed  time.Time `bson:"last_used"`
	// StationID and TokenID are set on station tokens (station_tokens.go).
	StationID string `bson:"station_id,omitempty"`
	TokenID   string `bson:"token_id,omitempty"`
}

// dummyHash is compared against when the username is unknown, so that a
// wrong username takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not-a-real-password"), bcrypt.DefaultCost)

// Login checks the password and issues a session token. addr is the
// caller's address for the limiter. Wrong credentials give
// apperr.ErrUnauthenticated; too many failures from this address, or from
// this address for this username, give a *RateLimitError (ErrRateLimited).
// Failures never lock the account itself: the right password from another
// address is always accepted, so no one can lock a user out by failing on
// purpose (SPEC §6.1). A disabled user gets the same answer as a wrong
// password, after the same work, so that sign-in does not tell. A
// successful sign-in sets LastSignInAt.
func (s *Service) Login(ctx context.Context, username, password, addr string) (string, User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.now()
	source, pair := "a:"+addr, "p:"+addr+"|"+username
	if wait := s.limiter.wait(now, source, pair); wait > 0 {
		return "", User{}, &RateLimitError{Wait: wait}
	}
	var u User
	err := s.users.FindOne(ctx, bson.M{"username": username}).Decode(&u)
	if err != nil && !store.IsNoDocuments(err) {
		return "", User{}, fmt.Errorf("finding user: %w", err)
	}
	hash := u.PasswordHash
	if hash == nil {
		hash = dummyHash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || u.ID == "" || u.Disabled {
		s.limiter.fail(now, source, pair)
		return "", User{}, apperr.ErrUnauthenticated
	}
	s.limiter.reset(pair)
	tok, err := s.issue(ctx, u, KindSession, now.Add(s.sessionTTL))
	if err != nil {
		return "", User{}, err
	}
	at := now.UTC()
	if _, err := s.users.UpdateOne(ctx, bson.M{"_id": u.ID}, bson.M{"$set": bson.M{"last_sign_in_at": at}}); err != nil {
		s.log.Warn("noting the sign-in time", "user", u.Username, "err", err) // the sign-in itself stands
	}
	u.LastSignInAt = &at
	return tok, u, nil
}

// CalendarToken issues a read-only token for the caller's iCalendar feed,
// valid until revoked, replacing any earlier one.
func (s *Service) CalendarToken(ctx context.Context, p Principal) (string, error) {
	if _, err := s.tokens.DeleteMany(ctx, bson.M{"user_id": p.UserID, "kind": KindCalendar}); err != nil {
		return "", fmt.Errorf("revoking calendar tokens: %w", err)
	}
	return s.issue(ctx, User{ID: p.UserID, CommuneID: p.CommuneID}, KindCalendar, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
}

func (s *Service) issue(ctx context.Context, u User, kind string, expires time.Time) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := "lt_" + base64.RawURLEncoding.EncodeToString(b)
	now := s.now().UTC()
	t := token{Hash: hashToken(secret), Kind: kind, UserID: u.ID, CommuneID: u.CommuneID,
		CreatedAt: now, ExpiresAt: expires.UTC(), LastUsed: now}
	if _, err := s.tokens.InsertOne(ctx, t); err != nil {
		return "", fmt.Errorf("storing token: %w", err)
	}
	return secret, nil
}

// Authenticate returns the principal behind a secret token of one of the
// given kinds, or apperr.ErrUnauthenticated when it is unknown, of another
// kind or expired, or its user is disabled or gone (such tokens are deleted
// on sight). A user's token is checked against the user on every request,
// so that disabling or a role change applies at the next one.
func (s *Service) Authenticate(ctx context.Context, secret string, kinds ...string) (Principal, error) {
	if secret == "" {
		return Principal{}, apperr.ErrUnauthenticated
	}
	var sum [hashLen]byte // a station device's pull finds its token without a copy of the hash
	hashInto(&sum, secret)
	station := s.stamps != nil && slices.Contains(kinds, KindStation)
	var version int64
	if station {
		// The stamp is read before the token, so that a revocation after
		// this read moves it past the version the cache entry is tagged with.
		v, err := s.stamps.Version(ctx, stamps.StationTokens)
		if p, ok := s.stationC.get(sum[:], v); ok && err == nil {
			return p, nil
		}
		station, version = err == nil, v
	}
	hash := string(sum[:])
	var t token
	err := s.tokens.FindOne(ctx, bson.M{"_id": hash}).Decode(&t)
	if store.IsNoDocuments(err) {
		return Principal{}, apperr.ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("finding token: %w", err)
	}
	now := s.now()
	if !now.Before(t.ExpiresAt) {
		_, _ = s.tokens.DeleteOne(ctx, bson.M{"_id": t.Hash})
		return Principal{}, apperr.ErrUnauthenticated
	}
	if !slices.Contains(kinds, t.Kind) {
		return Principal{}, apperr.ErrUnauthenticated
	}
	if t.Kind == KindStation {
		p := stationPrincipal(t)
		if station {
			s.stationC.put(hash, p, version)
		}
		return p, nil
	}
	var u User
	if err := s.users.FindOne(ctx, bson.M{"_id": t.UserID}).Decode(&u); err != nil || u.Disabled {
		if err == nil || store.IsNoDocuments(err) {
			_, _ = s.tokens.DeleteOne(ctx, bson.M{"_id": t.Hash})
		}
		return Principal{}, apperr.ErrUnauthenticated
	}
	if now.Sub(t.LastUsed) > time.Hour { // one write an hour, not one per request
		_, _ = s.tokens.UpdateOne(ctx, bson.M{"_id": t.Hash}, bson.M{"$set": bson.M{"last_used": now.UTC()}})
	}
	return Principal{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		CommuneID: u.CommuneID, StationIDs: u.StationIDs, TokenKind: t.Kind, MustChangePassword: u.MustChangePassword,
		tokenHash: t.Hash}, nil
}

// Logout revokes the token the principal authenticated with.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	_, err := s.tokens.DeleteOne(ctx, bson.M{"_id": p.tokenHash})
	return err
}

// SweepExpired deletes expired tokens; the clock runs it, since the embedded
// store has no TTL indexes.
func (s *Service) SweepExpired(ctx context.Context) (int64, error) {
	res, err := s.tokens.DeleteMany(ctx, bson.M{"expires_at": bson.M{"$lte": s.now().UTC()}})
	if err != nil {
		return 0, fmt.Errorf("sweeping tokens: %w", err)
	}
	return res.DeletedCount, nil
}

// hashToken is what the store keeps of a token: its SHA-256, in hex.
func hashToken(secret string) string {
	var sum [hashLen]byte
	hashInto(&sum, secret)
	return string(sum[:])
}

const hashLen = 2 * sha256.Size

func hashInto(dst *[hashLen]byte, secret string) {
	var buf [128]byte // a token's bytes without a copy on the heap
	sum := sha256.Sum256(append(buf[:0], secret...))
	hex.Encode(dst[:], sum[:])
}
