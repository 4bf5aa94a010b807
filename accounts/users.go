package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/crypto/bcrypt"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// NewUser is the input for CreateUser.
type NewUser struct {
	Username    string   `json:"username"`
	Password    string   `json:"password"`
	Role        Role     `json:"role"`
	DisplayName string   `json:"display_name"`
	StationIDs  []string `json:"station_ids"`
	CommuneID   string   `json:"commune_id"`
	// CreatedBy is the admin creating the user, for the audit log (empty:
	// the system, as at first start).
	CreatedBy string `json:"-"`
}

// CreateUser adds a user to in.CommuneID, or to the scope's commune when it
// is empty. Only operators have stations, and they must be stations of that
// commune. It returns a *apperr.ValidationError for bad input and
// apperr.ErrConflict when the username is taken; the audit log of the
// user's commune records it.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	if in.CommuneID == "" {
		sc, err := store.ScopeFrom(ctx)
		if err != nil {
			return User{}, err
		}
		in.CommuneID = sc.CommuneID
	}
	u, err := s.validateNewUser(ctx, in)
	if err != nil {
		return User{}, err
	}
	if _, err := s.users.InsertOne(ctx, u); err != nil {
		if store.IsDuplicateKey(err) {
			return User{}, apperr.Conflict("username %s is taken", u.Username)
		}
		return User{}, fmt.Errorf("creating user: %w", err)
	}
	actor := in.CreatedBy
	if actor == "" {
		actor = "system"
	}
	s.record(ctx, u.CommuneID, campaigns.AuditEntry{Actor: actor, Action: "user.create", Detail: fmt.Sprintf("%s (%s)", u.Username, u.Role)})
	return u, nil
}

func (s *Service) validateNewUser(ctx context.Context, in NewUser) (User, error) {
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if !usernamePattern.MatchString(username) {
		return User{}, apperr.Invalid("username", "must be 3–40 lowercase letters, digits, dots, hyphens or underscores")
	}
	if err := CheckPassword("password", in.Password, username); err != nil {
		return User{}, err
	}
	if !in.Role.Valid() {
		return User{}, apperr.Invalid("role", "must be one of admin, editor, manager, operator, province")
	}
	display, err := usertext.Line("display_name", in.DisplayName, usertext.NameMax)
	if err != nil {
		return User{}, err
	}
	if _, err := s.GetCommune(ctx, in.CommuneID); err != nil {
		return User{}, apperr.Invalid("commune_id", "unknown commune %q", in.CommuneID)
	}
	stations, err := s.checkStations(ctx, in.CommuneID, in.Role, in.StationIDs)
	if err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.bcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("hashing password: %w", err)
	}
	return User{
		ID: bson.NewObjectID().Hex(), CommuneID: in.CommuneID, Username: username,
		DisplayName: display, Role: in.Role, StationIDs: stations,
		PasswordHash: hash, CreatedAt: s.now().UTC(),
	}, nil
}

// EnsureFirstAdmin creates the user "admin" in communeID unless a user of
// that name exists. With an empty password it generates one and returns it,
// so the caller can print it once. Concurrent replicas race on the unique
// username; exactly one creates it.
func (s *Service) EnsureFirstAdmin(ctx context.Context, communeID, password string) (generated string, err error) {
	n, err := s.users.CountDocuments(ctx, bson.M{"username": "admin"})
	if err != nil || n > 0 {
		return "", err
	}
	random := password == ""
	if random {
		password = randomPassword()
	}
	_, err = s.CreateUser(ctx, NewUser{Username: "admin", Password: password, Role: RoleAdmin,
		DisplayName: "Quản trị viên", CommuneID: communeID})
	switch {
	case errors.Is(err, apperr.ErrConflict):
		return "", nil // another replica created it first
	case err != nil:
		return "", err
	case random:
		return password, nil
	}
	return "", nil
}

// GetUser returns the user in the caller's scope, or apperr.ErrNotFound.
func (s *Service) GetUser(ctx context.Context, id string) (User, error) {
	var u User
	err := store.FindByID(ctx, s.users, id, &u)
	if store.IsNoDocuments(err) {
		return u, apperr.NotFound("user")
	}
	return u, err
}

// ListUsers returns the users of the caller's commune, by username.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	f, err := store.Scoped(ctx, bson.M{})
	if err != nil {
		return nil, err
	}
	cur, err := s.users.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "username", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	out := []User{}
	return out, cur.All(ctx, &out)
}

func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
