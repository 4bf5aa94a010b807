package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

// KindStation is a station device's token (a phone left at the amplifier,
// an IP loudspeaker controller): it belongs to a station, not to a user, and
// opens only that station's rundown and airings. It lasts until revoked.
const KindStation = "station"

// MaxStationTokens bounds the live tokens of one station.
const MaxStationTokens = 10

// StationToken is a station device's token as admins see it: never the
// secret, nor its hash. Uses counts authenticated requests by route; the
// counts are kept in memory and written every few seconds (FlushTokenUse).
type StationToken struct {
	ID        string           `bson:"token_id" json:"id"`
	StationID string           `bson:"station_id" json:"station_id"`
	CreatedBy string           `bson:"created_by" json:"created_by"`
	CreatedAt time.Time        `bson:"created_at" json:"created_at"`
	LastUsed  *time.Time       `bson:"last_used_at,omitempty" json:"last_used_at"`
	LastRoute string           `bson:"last_route,omitempty" json:"last_route,omitempty"`
	UseCount  int64            `bson:"use_count" json:"use_count"`
	Uses      map[string]int64 `bson:"uses,omitempty" json:"uses"`
}

// stationTokenDoc is a station token as stored, in the tokens collection.
type stationTokenDoc struct {
	Hash      string    `bson:"_id"`
	Kind      string    `bson:"kind"`
	CommuneID string    `bson:"commune_id"`
	StationID string    `bson:"station_id"`
	TokenID   string    `bson:"token_id"`
	CreatedBy string    `bson:"created_by"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
	UseCount  int64     `bson:"use_count"`
}

// never is the expiry of tokens that last until revoked.
var never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// IssueStationToken issues a token for the station stationID of the
// caller's commune, created by the admin createdBy, and writes it in the
// audit log. The secret is returned once; only its hash is kept.
// apperr.ErrNotFound for a station of another commune, apperr.ErrConflict
// when the station has MaxStationTokens already.
func (s *Service) IssueStationToken(ctx context.Context, createdBy, stationID string) (string, StationToken, error) {
	st, err := s.station(ctx, stationID)
	if err != nil {
		return "", StationToken{}, err
	}
	f, err := store.Scoped(ctx, bson.M{"kind": KindStation, "station_id": stationID})
	if err != nil {
		return "", StationToken{}, err
	}
	n, err := s.tokens.CountDocuments(ctx, f)
	if err != nil {
		return "", StationToken{}, fmt.Errorf("counting station tokens: %w", err)
	}
	if n >= MaxStationTokens {
		return "", StationToken{}, apperr.Conflict("this station has %d tokens already; revoke one first", n)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", StationToken{}, err
	}
	secret := "lts_" + base64.RawURLEncoding.EncodeToString(b)
	doc := stationTokenDoc{Hash: hashToken(secret), Kind: KindStation, CommuneID: f["commune_id"].(string), StationID: stationID,
		TokenID: bson.NewObjectID().Hex(), CreatedBy: createdBy, CreatedAt: s.now().UTC(), ExpiresAt: never}
	if _, err := s.tokens.InsertOne(ctx, doc); err != nil {
		return "", StationToken{}, fmt.Errorf("storing station token: %w", err)
	}
	s.record(ctx, doc.CommuneID, campaigns.AuditEntry{Actor: createdBy, Action: "station.token.issue", Detail: fmt.Sprintf("token %s for station %s (%s)", doc.TokenID, st.Name, st.Village)})
	return secret, StationToken{ID: doc.TokenID, StationID: stationID, CreatedBy: createdBy, CreatedAt: doc.CreatedAt,
		Uses: map[string]int64{}}, nil
}

// ListStationTokens returns the live tokens of the station stationID of
// the caller's commune, oldest first, with their use counts (this replica's
// pending counts written first); apperr.ErrNotFound for an unknown station.
func (s *Service) ListStationTokens(ctx context.Context, stationID string) ([]StationToken, error) {
	if _, err := s.station(ctx, stationID); err != nil {
		return nil, err
	}
	f, err := store.Scoped(ctx, bson.M{"kind": KindStation, "station_id": stationID})
	if err != nil {
		return nil, err
	}
	if err := s.FlushTokenUse(ctx); err != nil {
		s.log.Warn("writing station token use", "err", err)
	}
	cur, err := s.tokens.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("listing station tokens: %w", err)
	}
	out := []StationToken{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Uses == nil {
			out[i].Uses = map[string]int64{}
		}
	}
	return out, nil
}

// RevokeStationToken deletes the station's token tokenID at once on behalf
// of the admin actor, and writes it in the audit log; every replica refuses
// it within a second (stamps.StationTokens). apperr.ErrNotFound when the
// commune has no such station, or the station no such token.
func (s *Service) RevokeStationToken(ctx context.Context, actor, stationID, tokenID string) error {
	st, err := s.station(ctx, stationID)
	if err != nil {
		return err
	}
	f, err := store.Scoped(ctx, bson.M{"kind": KindStation, "station_id": stationID, "token_id": tokenID})
	if err != nil {
		return err
	}
	res, err := s.tokens.DeleteOne(ctx, f)
	if err != nil {
		return fmt.Errorf("revoking station token: %w", err)
	}
	if res.DeletedCount == 0 {
		return apperr.NotFound("station token")
	}
	s.stamps.Bump(ctx, stamps.StationTokens)
	s.record(ctx, st.CommuneID, campaigns.AuditEntry{Actor: actor, Action: "station.token.revoke", Detail: fmt.Sprintf("token %s of station %s (%s)", tokenID, st.Name, st.Village)})
	return nil
}

// station returns the station id of the caller's commune.
func (s *Service) station(ctx context.Context, id string) (stations.Station, error) {
	if s.stations == nil {
		return stations.Station{}, fmt.Errorf("accounts: no station directory")
	}
	return s.stations.Get(ctx, id)
}

// stationPrincipal is the caller behind a station token.
func stationPrincipal(t token) Principal {
	short := t.TokenID
	if len(short) > 8 {
		short = short[len(short)-8:]
	}
	return Principal{Username: "station-token-" + short, DisplayName: "Thiết bị trạm loa", CommuneID: t.CommuneID,
		StationIDs: []string{t.StationID}, TokenKind: KindStation, TokenID: t.TokenID, tokenHash: t.Hash}
}

// stationCache keeps authenticated station tokens in memory, each tagged
// with the stamps.StationTokens version read before the token was, so that a
// station device's pull costs no database read and a revocation anywhere
// is honoured as soon as the stamp moves.
type stationCache struct {
	mu      sync.Mutex
	entries map[string]cachedStation
}

type cachedStation struct {
	p Principal
	v int64
}

const maxCachedStations = 4096

func (c *stationCache) get(hash []byte, v int64) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[string(hash)] // looked up without a copy
	return e.p, ok && e.v == v
}

func (c *stationCache) put(hash string, p Principal, v int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedStations {
		c.entries = map[string]cachedStation{}
	}
	c.entries[hash] = cachedStation{p: p, v: v}
}

// tokenUse is one token's requests not yet written.
type tokenUse struct {
	byRoute map[string]int64
	last    time.Time
	route   string
}

// usageLog gathers station token use in memory between flushes: a write
// per request would serialise every pull on the embedded store.
type usageLog struct {
	mu      sync.Mutex
	pending map[string]*tokenUse
}

// NoteUse counts a request made with a station token on route (a route
// template such as "GET /api/v1/stations/:id/rundown"). Other principals
// are ignored. Counts reach the store at the next FlushTokenUse.
func (s *Service) NoteUse(p Principal, route string) {
	if p.TokenKind != KindStation || p.tokenHash == "" {
		return
	}
	route = useKey(route)
	now := s.now().UTC()
	u := &s.usage
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.pending == nil {
		u.pending = map[string]*tokenUse{}
	}
	t := u.pending[p.tokenHash]
	if t == nil {
		t = &tokenUse{byRoute: map[string]int64{}}
		u.pending[p.tokenHash] = t
	}
	t.byRoute[route]++
	t.last, t.route = now, route
}

// useKey makes a route template usable as a field name.
func useKey(route string) string {
	if !strings.ContainsAny(route, ".$") {
		return route
	}
	return fieldSafe.Replace(route)
}

var fieldSafe = strings.NewReplacer(".", "_", "$", "_")

// FlushTokenUse writes the station token use counted since the last flush:
// use_count and uses.<route> with $inc, last_used_at and last_route. The
// clock runs it every few seconds and at shutdown; counts of a token
// revoked meanwhile are dropped.
func (s *Service) FlushTokenUse(ctx context.Context) error {
	u := &s.usage
	u.mu.Lock()
	pending := u.pending
	u.pending = nil
	u.mu.Unlock()
	var models []mongo.WriteModel
	for hash, t := range pending {
		inc := bson.M{}
		var total int64
		for r, n := range t.byRoute {
			inc["uses."+r] = n
			total += n
		}
		inc["use_count"] = total
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": hash}).
			SetUpdate(bson.M{"$inc": inc, "$set": bson.M{"last_used_at": t.last, "last_route": t.route}}))
	}
	if len(models) == 0 {
		return nil
	}
	if _, err := s.tokens.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
		return fmt.Errorf("writing station token use: %w", err)
	}
	return nil
}

// StationAllowed keeps operators and station devices to their own
// stations: p may act on station id only if it is one of theirs; editors,
// managers and admins may act on every station of their commune. One kept
// off gets apperr.ErrNotFound when the station does not exist, else
// apperr.ErrForbidden. The API and the pages both ask it.
func (s *Service) StationAllowed(ctx context.Context, p Principal, id string) error {
	if p.Role != RoleOperator && p.TokenKind != KindStation {
		return nil
	}
	if slices.Contains(p.StationIDs, id) {
		return nil
	}
	if _, err := s.station(ctx, id); err != nil {
		return err
	}
	return apperr.Forbidden("this is not one of your stations")
}
