package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/apperr"
)

// Scope is the commune a request acts in. The HTTP layer puts it into the
// request context once (the caller's commune, or the one a province or admin
// caller chose); repositories build every query from it and refuse to run
// without one, so no handler can forget to filter by commune.
type Scope struct {
	CommuneID string
}

type scopeKey struct{}

// WithScope returns ctx carrying s.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the scope in ctx, or apperr.ErrNoScope.
func ScopeFrom(ctx context.Context) (Scope, error) {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	if !ok || s.CommuneID == "" {
		return Scope{}, apperr.ErrNoScope
	}
	return s, nil
}

// Filter returns f restricted to the scope's commune. f is not modified.
func (s Scope) Filter(f bson.M) bson.M {
	out := bson.M{"commune_id": s.CommuneID}
	for k, v := range f {
		out[k] = v
	}
	return out
}

// Scoped is ScopeFrom followed by Filter: the usual first line of a
// repository method.
func Scoped(ctx context.Context, f bson.M) (bson.M, error) {
	s, err := ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	return s.Filter(f), nil
}

// FindByID reads the document with _id id into out if it belongs to the
// scope's commune; a document of another commune is reported as
// mongo.ErrNoDocuments, exactly like a missing one. Filtering by _id alone
// lets the embedded store use its primary key instead of decoding the whole
// collection (it pushes down no other filter).
func FindByID(ctx context.Context, c *mongo.Collection, id string, out any) error {
	sc, err := ScopeFrom(ctx)
	if err != nil {
		return err
	}
	if !ValidID(id) {
		return mongo.ErrNoDocuments // no record has such an id: no need to ask
	}
	raw, err := c.FindOne(ctx, bson.M{"_id": id}).Raw()
	if err != nil {
		return err
	}
	if v, ok := raw.Lookup("commune_id").StringValueOK(); !ok || v != sc.CommuneID {
		return mongo.ErrNoDocuments
	}
	return bson.Unmarshal(raw, out)
}

// ValidID reports whether id can be the id of a record: 1 to 200 bytes of
// printable ASCII without spaces. Every id the service makes is of that
// form (hex object ids, slugs, hashes, keys joined with '|'); anything else
// given as an id, in a path or a list, names nothing and is refused before
// it reaches the store.
func ValidID(id string) bool {
	if id == "" || len(id) > 200 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}
