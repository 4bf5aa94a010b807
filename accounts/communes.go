package accounts

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

var communeIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// EnsureCommune creates the commune if it does not exist and never changes an
// existing one, so it is safe at every start and from several replicas.
func (s *Service) EnsureCommune(ctx context.Context, id, name string) error {
	_, err := s.communes.UpdateOne(ctx, bson.M{"_id": id},
		bson.M{"$setOnInsert": bson.M{"name": name, "created_at": s.now().UTC()}},
		options.UpdateOne().SetUpsert(true))
	if err != nil && !store.IsDuplicateKey(err) {
		return fmt.Errorf("ensuring commune %s: %w", id, err)
	}
	return nil
}

// CreateCommune adds a commune and seeds it (Deps.Seeder: its observance
// campaigns). The id is a lowercase slug; it is derived from the name when
// empty. It returns apperr.ErrConflict if the id is taken. A seed that
// fails is returned; the daily SeedCommunes finishes it.
func (s *Service) CreateCommune(ctx context.Context, id, name string) (Commune, error) {
	name, err := usertext.Line("name", name, usertext.NameMax)
	if err != nil {
		return Commune{}, err
	}
	if utf8.RuneCountInString(name) < 2 {
		return Commune{}, apperr.Invalid("name", "must be 2–%d characters", usertext.NameMax)
	}
	if id == "" {
		id = Slug(name)
	}
	if !communeIDPattern.MatchString(id) {
		return Commune{}, apperr.Invalid("id", "must be lowercase letters, digits and hyphens (2–63)")
	}
	c := Commune{ID: id, Name: name, CreatedAt: s.now().UTC()}
	if _, err := s.communes.InsertOne(ctx, c); err != nil {
		if store.IsDuplicateKey(err) {
			return Commune{}, apperr.Conflict("commune %s already exists", id)
		}
		return Commune{}, fmt.Errorf("creating commune: %w", err)
	}
	if s.seeder != nil {
		if err := s.seeder.Seed(ctx, c.ID); err != nil {
			return Commune{}, fmt.Errorf("seeding commune %s: %w", c.ID, err)
		}
	}
	return c, nil
}

// SeedCommunes seeds every commune (Deps.Seeder), so that each has the
// observance campaigns of the years to come; the clock runs it daily, and
// it runs at start.
func (s *Service) SeedCommunes(ctx context.Context) error {
	if s.seeder == nil {
		return nil
	}
	ids, err := s.CommuneIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.seeder.Seed(ctx, id); err != nil {
			return fmt.Errorf("seeding commune %s: %w", id, err)
		}
	}
	return nil
}

// CommuneIDs lists the ids of every commune of the installation, for the
// clock's jobs that run commune by commune.
func (s *Service) CommuneIDs(ctx context.Context) ([]string, error) {
	list, err := s.ListCommunes(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return ids, nil
}

// ListCommunes returns every commune, ordered by id.
func (s *Service) ListCommunes(ctx context.Context) ([]Commune, error) {
	cur, err := s.communes.Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("listing communes: %w", err)
	}
	out := []Commune{}
	return out, cur.All(ctx, &out)
}

// GetCommune returns the commune or apperr.ErrNotFound.
func (s *Service) GetCommune(ctx context.Context, id string) (Commune, error) {
	var c Commune
	err := s.communes.FindOne(ctx, bson.M{"_id": id}).Decode(&c)
	if store.IsNoDocuments(err) {
		return c, apperr.NotFound("commune " + id)
	}
	return c, err
}

// Slug turns a Vietnamese name into an ASCII id: "Xã Liên Minh" → "xa-lien-minh".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
			dash = false
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r < 0x300 || r > 0x36f: // not a combining mark: a separator
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}
