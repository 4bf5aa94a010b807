package store

import (
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Collection declares one collection a domain package writes, for the
// archive: Import refuses an archive holding a collection no domain
// declares, and a document its Check refuses. The store never imports a
// domain package; each domain lists its collections (an Archive function
// next to its Indexes) and the command that imports collects them.
type Collection struct {
	// Name is the collection's name, or a pattern for the documentation
	// when Match is set (e.g. "reach_weeks_<YYYY>").
	Name string
	// Match, when set, accepts a family of names instead of Name alone.
	Match func(name string) bool
	// Check returns an error for a document the domain would not have
	// written: one that does not decode into its Go type, or holds a value
	// outside its enums. nil accepts any document with an _id.
	Check func(doc bson.Raw) error
}

// Schema is every collection an archive may hold.
type Schema []Collection

// find returns the declaration of the collection called name.
func (s Schema) find(name string) (Collection, bool) {
	for _, c := range s {
		if c.Match == nil && c.Name == name {
			return c, true
		}
	}
	for _, c := range s {
		if c.Match != nil && c.Match(name) {
			return c, true
		}
	}
	return Collection{}, false
}

// Decodes returns a Check that decodes a document into a new T (a field of
// the wrong BSON type is an error; fields T does not know are allowed, since
// later versions only add fields) and then runs valid on it, if given.
func Decodes[T any](valid func(*T) error) func(bson.Raw) error {
	return func(doc bson.Raw) error {
		var v T
		if err := bson.Unmarshal(doc, &v); err != nil {
			return fmt.Errorf("does not decode as %T: %w", v, err)
		}
		if valid != nil {
			return valid(&v)
		}
		return nil
	}
}

// OneOf returns an error naming field when value is not one of allowed.
func OneOf[S ~string](field string, value S, allowed ...S) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return fmt.Errorf("%s %q is not one of %s", field, value, strings.Join(names, ", "))
}

// NonEmpty returns an error naming the first field whose value is empty.
func NonEmpty(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if fields[i+1] == "" {
			return fmt.Errorf("%s is empty", fields[i])
		}
	}
	return nil
}

// maxBSONDocument is MongoDB's limit on one document.
const maxBSONDocument = 16 << 20

// checkDocument applies what every stored document must satisfy (valid
// BSON within MongoDB's size limit, each top-level field once, an _id that
// is not an array, undefined or a regular expression), then c's Check.
func checkDocument(doc bson.Raw, c Collection) error {
	if len(doc) > maxBSONDocument {
		return fmt.Errorf("is %d bytes, more than MongoDB's %d", len(doc), maxBSONDocument)
	}
	elems, err := doc.Elements()
	if err != nil {
		return fmt.Errorf("is not a valid document: %w", err)
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		k := e.Key()
		if seen[k] {
			return fmt.Errorf("has the field %q twice", k)
		}
		seen[k] = true
	}
	id, err := doc.LookupErr("_id")
	if err != nil {
		return fmt.Errorf("has no _id")
	}
	switch id.Type {
	case bson.TypeArray, bson.TypeUndefined, bson.TypeRegex:
		return fmt.Errorf("has an _id of type %s", id.Type)
	}
	if c.Check != nil {
		return c.Check(doc)
	}
	return nil
}
