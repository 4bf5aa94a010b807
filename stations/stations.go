// Package stations owns the commune's loudspeaker stations (cụm loa): their
// name, village and the households they cover. Scripts name the stations
// they are read on; operators are users whose station_ids name theirs.
package stations

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Station is one loudspeaker cluster.
type Station struct {
	ID         string    `bson:"_id" json:"id"`
	CommuneID  string    `bson:"commune_id" json:"commune_id"`
	Name       string    `bson:"name" json:"name"`
	Village    string    `bson:"village" json:"village"`
	Households int       `bson:"households" json:"households"`
	Notes      string    `bson:"notes" json:"notes"`
	CreatedAt  time.Time `bson:"created_at" json:"created_at"`
	UpdatedAt  time.Time `bson:"updated_at" json:"updated_at"`
}

// Input is a create or partial update; nil fields are left alone.
type Input struct {
	Name       *string `json:"name"`
	Village    *string `json:"village"`
	Households *int    `json:"households"`
	Notes      *string `json:"notes"`
}

// Service is the stations domain over its collection.
type Service struct {
	col    *mongo.Collection
	now    func() time.Time
	log    *slog.Logger
	stamps *stamps.Stamps
}

// NewService returns the stations service over db. stamps, when not nil,
// is bumped when a station changes (stamps.Rundowns): its name, village
// and households are part of every rundown.
func NewService(db *mongo.Database, stamps *stamps.Stamps, now func() time.Time, log *slog.Logger) *Service {
	return &Service{col: db.Collection("stations"), stamps: stamps, now: now, log: log}
}

// Indexes are the stations collection's indexes.
func Indexes() []store.Index {
	return []store.Index{{Collection: "stations", Model: mongo.IndexModel{Keys: bson.D{{Key: "commune_id", Value: 1}}}}}
}

// Create adds a station to the caller's commune. Name and village are required.
func (s *Service) Create(ctx context.Context, in Input) (Station, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Station{}, err
	}
	if in.Name == nil {
		return Station{}, apperr.Invalid("name", "is required")
	}
	if in.Village == nil {
		return Station{}, apperr.Invalid("village", "is required")
	}
	now := s.now().UTC()
	st := Station{ID: bson.NewObjectID().Hex(), CommuneID: sc.CommuneID, CreatedAt: now, UpdatedAt: now}
	if err := apply(&st, in); err != nil {
		return Station{}, err
	}
	if _, err := s.col.InsertOne(ctx, st); err != nil {
		return Station{}, fmt.Errorf("storing station: %w", err)
	}
	return st, nil
}

// Update applies a partial update; apperr.ErrNotFound outside the commune.
func (s *Service) Update(ctx context.Context, id string, in Input) (Station, error) {
	st, err := s.Get(ctx, id)
	if err != nil {
		return Station{}, err
	}
	if err := apply(&st, in); err != nil {
		return Station{}, err
	}
	st.UpdatedAt = s.now().UTC()
	f, _ := store.Scoped(ctx, bson.M{"_id": id})
	if _, err := s.col.ReplaceOne(ctx, f, st); err != nil {
		return Station{}, fmt.Errorf("updating station: %w", err)
	}
	s.stamps.Bump(ctx, stamps.Rundowns(st.CommuneID))
	return st, nil
}

// Get returns the station or apperr.ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (Station, error) {
	var st Station
	err := store.FindByID(ctx, s.col, id, &st)
	if store.IsNoDocuments(err) {
		return st, apperr.NotFound("station")
	}
	return st, err
}

// List returns the commune's stations by village and name; with ids, only those.
func (s *Service) List(ctx context.Context, ids ...string) ([]Station, error) {
	cond := bson.M{}
	if len(ids) > 0 {
		cond["_id"] = bson.M{"$in": ids}
	}
	f, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cur, err := s.col.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "village", Value: 1}, {Key: "name", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("listing stations: %w", err)
	}
	out := []Station{}
	return out, cur.All(ctx, &out)
}

// Missing returns those of ids that are not stations of the caller's commune.
func (s *Service) Missing(ctx context.Context, ids []string) ([]string, error) {
	found, err := s.List(ctx, ids...)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, st := range found {
		have[st.ID] = true
	}
	var missing []string
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

func apply(st *Station, in Input) error {
	text := func(field string, v *string, dst *string, max int, required bool) error {
		if v == nil {
			return nil
		}
		clean := usertext.Line
		if field == "notes" {
			clean = usertext.Block
		}
		t, err := clean(field, *v, max)
		if err != nil {
			return err
		}
		if required && t == "" {
			return apperr.Invalid(field, "must not be empty")
		}
		*dst = t
		return nil
	}
	if err := text("name", in.Name, &st.Name, 120, true); err != nil {
		return err
	}
	if err := text("village", in.Village, &st.Village, 120, true); err != nil {
		return err
	}
	if err := text("notes", in.Notes, &st.Notes, 1000, false); err != nil {
		return err
	}
	if in.Households != nil {
		if *in.Households < 0 || *in.Households > 100000 {
			return apperr.Invalid("households", "must be a whole number of households between 0 and 100000")
		}
		st.Households = *in.Households
	}
	return nil
}
