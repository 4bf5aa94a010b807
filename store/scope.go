package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

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
