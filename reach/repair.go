package reach

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Leaves are digest values by "<digest id>/<dotted path>": what Recount
// computes and Stored reads, so the two compare directly.
type Leaves map[string]int64

// Recount computes every digest value of a commune from its raw events:
// what the digests must equal. It scans the commune's events (slow on the
// embedded store; Repair runs it only after a crash).
func (s *Service) Recount(ctx context.Context, commune string) (Leaves, error) {
	docs, err := s.recount(ctx, commune)
	if err != nil {
		return nil, err
	}
	out := Leaves{}
	for id, d := range docs {
		for k, v := range d.inc {
			out[id+"/"+k] = v
		}
		for k, v := range d.set {
			out[id+"/"+k] = v
		}
	}
	return out, nil
}

func (s *Service) recount(ctx context.Context, commune string) (map[string]*digestInc, error) {
	cur, err := s.events.Find(ctx, bson.M{"commune_id": commune})
	if err != nil {
		return nil, fmt.Errorf("reading reach events: %w", err)
	}
	defer cur.Close(ctx)
	out := map[string]*digestInc{}
	for cur.Next(ctx) {
		var e Event
		if err := cur.Decode(&e); err != nil {
			return nil, err
		}
		if !validDay(e.Day) {
			continue
		}
		for _, d := range digestsOf(e, e.Value) {
			merge(out, d, nil)
		}
	}
	return out, cur.Err()
}

// Stored reads every digest value of a commune (the numbers only), for
// comparing with Recount.
func (s *Service) Stored(ctx context.Context, commune string) (Leaves, error) {
	colls, err := s.digestColls(ctx)
	if err != nil {
		return nil, err
	}
	out := Leaves{}
	for _, coll := range colls {
		cur, err := s.db.Collection(coll).Find(ctx, bson.M{"commune_id": commune})
		if err != nil {
			return nil, fmt.Errorf("reading reach digests: %w", err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			return nil, err
		}
		for _, d := range docs {
			id, _ := d["_id"].(string)
			for _, f := range []string{"t", "v", "i", "w", "d"} {
				flatten(out, id+"/"+f, d[f])
			}
		}
	}
	return out, nil
}

// digestColls lists the digest collections: campaigns, years and the
// weeks of every year.
func (s *Service) digestColls(ctx context.Context) ([]string, error) {
	weeks, err := s.db.ListCollectionNames(ctx, bson.M{"name": bson.M{"$regex": "^" + weeksPrefix}})
	if err != nil {
		return nil, fmt.Errorf("listing reach digests: %w", err)
	}
	return append([]string{campaignsColl, yearsColl}, weeks...), nil
}

func flatten(out Leaves, prefix string, v any) {
	switch x := v.(type) {
	case bson.M:
		for k, sub := range x {
			flatten(out, prefix+"."+k, sub)
		}
	case bson.D:
		for _, e := range x {
			flatten(out, prefix+"."+e.Key, e.Value)
		}
	case int64:
		out[prefix] = x
	case int32:
		out[prefix] = int64(x)
	case float64:
		out[prefix] = int64(x)
	}
}

// Repair rebuilds the digests of any commune with an event whose recording
// was interrupted (its pending mark is older than a minute), and builds the
// digests of a database that has events but none yet (one written before
// digests existed). It returns how many communes it rebuilt. The clock runs it.
func (s *Service) Repair(ctx context.Context) (int, error) {
	cur, err := s.pending.Find(ctx, bson.M{"at": bson.M{"$lt": s.now().Add(-time.Minute).UTC()}})
	if err != nil {
		return 0, fmt.Errorf("finding interrupted reach events: %w", err)
	}
	var marks []pendingMark
	if err := cur.All(ctx, &marks); err != nil {
		return 0, err
	}
	var communes []string
	for _, m := range marks {
		if !slices.Contains(communes, m.CommuneID) {
			communes = append(communes, m.CommuneID)
		}
	}
	if len(communes) == 0 {
		legacy, err := s.undigested(ctx)
		if err != nil {
			return 0, err
		}
		communes = legacy
	}
	var errs []error
	rebuilt := map[string]bool{}
	for _, c := range communes {
		if err := s.Rebuild(ctx, c); err != nil {
			errs = append(errs, fmt.Errorf("rebuilding the reach digests of %s: %w", c, err))
			continue
		}
		rebuilt[c] = true
	}
	for _, m := range marks {
		if !rebuilt[m.CommuneID] {
			continue // the mark stays: the next repair tries again
		}
		if _, err := s.pending.DeleteOne(ctx, bson.M{"_id": m.ID}); err != nil {
			return 0, fmt.Errorf("clearing pending mark: %w", err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return len(rebuilt), err
	}
	return len(communes), nil
}

// undigested returns the communes with events when no digest exists at all.
// Both counts come from collection metadata, so the usual answer is cheap.
func (s *Service) undigested(ctx context.Context) ([]string, error) {
	n, err := s.db.Collection(campaignsColl).EstimatedDocumentCount(ctx)
	if err != nil || n > 0 {
		return nil, err
	}
	if n, err := s.events.EstimatedDocumentCount(ctx); err != nil || n == 0 {
		return nil, err
	}
	var communes []string
	if err := s.events.Distinct(ctx, "commune_id", bson.M{}).Decode(&communes); err != nil && err != mongo.ErrNoDocuments {
		return nil, fmt.Errorf("listing communes with reach events: %w", err)
	}
	return communes, nil
}

// Rebuild replaces a commune's digests with a recount of its events, and
// never loses figures on the way: the recount is computed and every digest
// encoded before anything is written; each digest is then replaced whole
// (so a digest is always either its last good value or the recount's),
// and only once all are written are the digests the recount no longer has
// removed. A recount that finds no event while digests exist (the events
// unreadable, not a commune with nothing) writes nothing. On any failure the
// stored digests stay as they were, or partly replaced by recounted ones,
// and the error says why; the clock retries at its next tick.
func (s *Service) Rebuild(ctx context.Context, commune string) error {
	want, err := s.recount(ctx, commune)
	if err != nil {
		return err
	}
	colls, err := s.digestColls(ctx)
	if err != nil {
		return err
	}
	docs := map[string]map[string]bson.Raw{} // collection → id → encoded document
	for _, d := range want {
		raw, err := bson.Marshal(d.document())
		if err != nil {
			return fmt.Errorf("encoding digest %s: %w", d.id, err)
		}
		if docs[d.coll] == nil {
			docs[d.coll] = map[string]bson.Raw{}
		}
		docs[d.coll][d.id] = raw
	}
	stale := map[string][]string{}
	have := 0
	for _, coll := range colls {
		ids, err := s.digestIDs(ctx, coll, commune)
		if err != nil {
			return err
		}
		have += len(ids)
		for _, id := range ids {
			if _, keep := docs[coll][id]; !keep {
				stale[coll] = append(stale[coll], id)
			}
		}
	}
	if len(want) == 0 && have > 0 {
		return fmt.Errorf("recount of %s found no reach event but %d digests exist: left as they are", commune, have)
	}
	for _, coll := range slices.Sorted(maps.Keys(docs)) {
		for _, id := range slices.Sorted(maps.Keys(docs[coll])) {
			if err := s.beforeWrite(coll); err != nil {
				return fmt.Errorf("writing digest %s: %w", id, err)
			}
			if _, err := s.db.Collection(coll).ReplaceOne(ctx, bson.M{"_id": id}, docs[coll][id], options.Replace().SetUpsert(true)); err != nil {
				return fmt.Errorf("writing digest %s: %w", id, err)
			}
		}
	}
	for coll, ids := range stale {
		if err := s.beforeWrite(coll); err != nil {
			return fmt.Errorf("removing stale digests: %w", err)
		}
		if _, err := s.db.Collection(coll).DeleteMany(ctx, bson.M{"_id": bson.M{"$in": ids}, "commune_id": commune}); err != nil {
			return fmt.Errorf("removing stale digests: %w", err)
		}
	}
	return nil
}

// digestIDs lists the ids of a commune's digests in coll.
func (s *Service) digestIDs(ctx context.Context, coll, commune string) ([]string, error) {
	cur, err := s.db.Collection(coll).Find(ctx, bson.M{"commune_id": commune}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("listing digests: %w", err)
	}
	var rows []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("listing digests: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, nil
}

// document is the whole digest document that d's increments would build
// from nothing.
func (d *digestInc) document() bson.M {
	doc := bson.M{"_id": d.id}
	for k, v := range d.insert {
		doc[k] = v
	}
	put := func(path string, v any) {
		parts := strings.Split(path, ".")
		m := doc
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(bson.M)
			if !ok {
				next = bson.M{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	for k, v := range d.inc {
		put(k, v)
	}
	for k, v := range d.set {
		put(k, v)
	}
	return doc
}
