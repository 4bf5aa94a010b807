package zalo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// ErrNoTokens means the store holds no token chain for the OA yet.
var ErrNoTokens = errors.New("zalo: no tokens stored")

// ErrStaleVersion means Save lost a race: the stored tokens are not the
// version the caller rotated from any more.
var ErrStaleVersion = errors.New("zalo: stored tokens changed meanwhile")

// Tokens is the OA's credential chain.
type Tokens struct {
	AccessToken  string
	RefreshToken string    // single use: each refresh returns the next one
	ExpiresAt    time.Time // of the access token
	Version      int64     // bumped by every rotation and every new seed
}

// usable reports whether the access token can be used at now, margin early.
func (t Tokens) usable(now time.Time, margin time.Duration) bool {
	return t.AccessToken != "" && now.Add(margin).Before(t.ExpiresAt)
}

// TokenStore keeps one OA's token chain where every replica sees it, and the
// lease that lets only one replica refresh at a time.
type TokenStore interface {
	// Seed starts the chain from refreshToken (from configuration) unless
	// the store already holds a chain started from that same token; a
	// different token (an admin reconnected the OA) replaces the chain.
	Seed(ctx context.Context, refreshToken string) error
	// Load returns the stored tokens, or ErrNoTokens.
	Load(ctx context.Context) (Tokens, error)
	// AcquireLease takes the refresh lease for owner until now+ttl when it
	// is free, expired or already owner's, in one atomic step; it reports
	// whether owner holds it.
	AcquireLease(ctx context.Context, owner string, ttl time.Duration) (bool, error)
	// ReleaseLease frees the lease if owner holds it.
	ReleaseLease(ctx context.Context, owner string) error
	// Save stores t (whose Version must be prev+1) if the stored version is
	// still prev, in one atomic step; otherwise it returns ErrStaleVersion.
	Save(ctx context.Context, prev int64, t Tokens) error
}

// seedHash identifies a configured refresh token without storing it twice.
func seedHash(refreshToken string) string {
	h := sha256.Sum256([]byte(refreshToken))
	return hex.EncodeToString(h[:])
}

// MemoryTokenStore is a TokenStore for one process (local runs and tests).
// Tokens kept here are lost on restart, and with them the rotated chain, so
// production replicas use NewMongoTokenStore.
type MemoryTokenStore struct {
	now        func() time.Time
	mu         sync.Mutex
	t          *Tokens
	seed       string
	owner      string
	leaseUntil time.Time
}

// NewMemoryTokenStore returns an empty in-memory store.
func NewMemoryTokenStore(now func() time.Time) *MemoryTokenStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryTokenStore{now: now}
}

// Seed implements TokenStore.
func (m *MemoryTokenStore) Seed(_ context.Context, refreshToken string) error {
	if refreshToken == "" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	h := seedHash(refreshToken)
	if m.t != nil && m.seed == h {
		return nil
	}
	v := int64(1)
	if m.t != nil {
		v = m.t.Version + 1
	}
	m.t, m.seed = &Tokens{RefreshToken: refreshToken, Version: v}, h
	return nil
}

// Load implements TokenStore.
func (m *MemoryTokenStore) Load(context.Context) (Tokens, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.t == nil {
		return Tokens{}, ErrNoTokens
	}
	return *m.t, nil
}

// AcquireLease implements TokenStore.
func (m *MemoryTokenStore) AcquireLease(_ context.Context, owner string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.owner != "" && m.owner != owner && now.Before(m.leaseUntil) {
		return false, nil
	}
	m.owner, m.leaseUntil = owner, now.Add(ttl)
	return true, nil
}

// ReleaseLease implements TokenStore.
func (m *MemoryTokenStore) ReleaseLease(_ context.Context, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.owner == owner {
		m.owner, m.leaseUntil = "", time.Time{}
	}
	return nil
}

// Save implements TokenStore.
func (m *MemoryTokenStore) Save(_ context.Context, prev int64, t Tokens) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.t == nil || m.t.Version != prev {
		return ErrStaleVersion
	}
	m.t = &t
	return nil
}
