// Package accounts owns communes, users, their roles and their credentials:
// passwords (bcrypt), session and API tokens (stored as SHA-256 hashes, expiring
// in code since the embedded store has no TTL indexes) and the login limiter.
package accounts

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
)

// Role is what a user may do (SPEC §1).
type Role string

// The roles of SPEC §1.
const (
	RoleAdmin    Role = "admin"
	RoleEditor   Role = "editor"
	RoleManager  Role = "manager"
	RoleOperator Role = "operator"
	RoleProvince Role = "province"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleEditor, RoleManager, RoleOperator, RoleProvince}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// CrossCommune reports whether the role may act in another commune than its
// own by naming it with ?commune= (SPEC §1).
func (r Role) CrossCommune() bool { return r == RoleAdmin || r == RoleProvince }

// DefaultCommuneID and DefaultCommuneName name the commune created at first start.
const (
	DefaultCommuneID   = "lien-minh"
	DefaultCommuneName = "Xã Liên Minh"
)

// Commune is one commune of the province; every record belongs to one.
type Commune struct {
	ID        string    `bson:"_id" json:"id"`
	Name      string    `bson:"name" json:"name"`
	CreatedAt time.Time `bson:"created_at" json:"created_at"`
}

// User is a person who signs in.
type User struct {
	ID           string    `bson:"_id" json:"id"`
	CommuneID    string    `bson:"commune_id" json:"commune_id"`
	Username     string    `bson:"username" json:"username"`
	DisplayName  string    `bson:"display_name" json:"display_name"`
	Role         Role      `bson:"role" json:"role"`
	StationIDs   []string  `bson:"station_ids" json:"station_ids"`
	PasswordHash []byte    `bson:"password_hash" json:"-"`
	CreatedAt    time.Time `bson:"created_at" json:"created_at"`
	// Disabled users cannot sign in, and their sessions and calendar
	// tokens were deleted when they were disabled.
	Disabled bool `bson:"disabled" json:"disabled"`
	// MustChangePassword is set by an admin's password reset: until the
	// user chooses a new password they may only read /me, change it and
	// sign out (SPEC §6.1).
	MustChangePassword bool `bson:"must_change_password" json:"must_change_password"`
	// LastSignInAt is the last successful sign-in; nil (JSON null) before
	// the first.
	LastSignInAt *time.Time `bson:"last_sign_in_at,omitempty" json:"last_sign_in_at"`
}

// Principal is who is calling, as established from a token or cookie.
type Principal struct {
	UserID      string
	Username    string
	DisplayName string
	Role        Role
	CommuneID   string
	StationIDs  []string
	// TokenKind is how the caller authenticated: KindSession, KindCalendar
	// or KindStation (a station device: no user, no role, StationIDs holds
	// its one station).
	TokenKind string
	// TokenID names a station token (KindStation only).
	TokenID string
	// MustChangePassword: the user's password was reset by an admin and
	// must be changed before anything else (ErrPasswordChangeRequired).
	MustChangePassword bool
	tokenHash          string
}

// Service is the accounts domain over its collections.
type Service struct {
	communes   *mongo.Collection
	users      *mongo.Collection
	tokens     *mongo.Collection
	now        func() time.Time
	log        *slog.Logger
	limiter    *loginLimiter
	sessionTTL time.Duration
	bcryptCost int
	stamps     *stamps.Stamps
	audit      Auditor
	stations   StationDirectory
	seeder     Seeder
	stationC   stationCache
	usage      usageLog
}

// Deps are what NewService needs.
type Deps struct {
	DB *mongo.Database
	// Stamps, when set, lets station tokens be cached in memory: a
	// revocation bumps stamps.StationTokens and every replica reads them
	// again. Without it every request reads its token.
	Stamps *stamps.Stamps
	// Audit, when set, receives an entry for every change to a user or a
	// station token (campaigns.auditLog, the one audit log).
	Audit Auditor
	// Stations checks the stations given to operators and the station a
	// device token is issued for; without it those are refused.
	Stations StationDirectory
	// Seeder, when set, seeds every commune created (campaigns.Service:
	// the observance campaigns).
	Seeder Seeder
	Now    func() time.Time
	Log    *slog.Logger
	// SessionTTL is how long a sign-in lasts (default 30 days).
	SessionTTL time.Duration
	// BcryptCost is the password hashing cost (default 10; tests lower it).
	BcryptCost int
}

// Auditor is the audit log as accounts writes it (campaigns.Service).
type Auditor interface {
	Record(ctx context.Context, e campaigns.AuditEntry)
}

// Seeder prepares a new commune's records in another domain.
type Seeder interface {
	Seed(ctx context.Context, communeID string) error
}

// StationDirectory is what accounts needs of the stations
// (stations.Service), in the commune of ctx's scope.
type StationDirectory interface {
	// Get returns the station or apperr.ErrNotFound.
	Get(ctx context.Context, id string) (stations.Station, error)
	// Missing returns those of ids that are not stations.
	Missing(ctx context.Context, ids []string) ([]string, error)
}

// NewService returns the accounts service over db.
func NewService(d Deps) *Service {
	if d.SessionTTL == 0 {
		d.SessionTTL = 30 * 24 * time.Hour
	}
	if d.BcryptCost == 0 {
		d.BcryptCost = 10
	}
	return &Service{
		communes:   d.DB.Collection("communes"),
		users:      d.DB.Collection("users"),
		tokens:     d.DB.Collection("tokens"),
		now:        d.Now,
		log:        d.Log,
		limiter:    newLoginLimiter(5, 30, 15*time.Minute),
		sessionTTL: d.SessionTTL,
		bcryptCost: d.BcryptCost,
		stamps:     d.Stamps,
		audit:      d.Audit,
		stations:   d.Stations,
		seeder:     d.Seeder,
	}
}

// SessionTTL is how long a sign-in lasts.
func (s *Service) SessionTTL() time.Duration { return s.sessionTTL }
