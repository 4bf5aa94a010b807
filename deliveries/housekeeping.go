package deliveries

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/campaigns"
)

// ArchiveAfter is how long a finished delivery stays in the hot collection:
// long enough for a late airing confirmation (until the end of the next day).
const ArchiveAfter = 48 * time.Hour

// MissUnconfirmed marks loudspeaker deliveries of past days that no operator
// confirmed as missed (a late confirmation on the next day still turns them
// into sent).
func (s *Service) MissUnconfirmed(ctx context.Context) (int64, error) {
	today := s.now().In(s.loc).Format(campaigns.DateLayout)
	now := s.now().UTC()
	filter := bson.M{"channel": bson.M{"$in": PullChannels}, "state": StateQueued, "day": bson.M{"$lt": today}}
	var communes []string
	if err := s.hot.Distinct(ctx, "commune_id", filter).Decode(&communes); err != nil && !isNoDoc(err) {
		return 0, fmt.Errorf("finding unconfirmed airings: %w", err)
	}
	res, err := s.hot.UpdateMany(ctx, filter,
		bson.M{"$set": bson.M{"state": StateMissed, "last_error": "no airing was confirmed on its day", "finished_at": now, "updated_at": now}})
	if err != nil {
		return 0, fmt.Errorf("marking unconfirmed airings missed: %w", err)
	}
	if res.ModifiedCount > 0 {
		for _, c := range communes {
			s.rundownsChanged(ctx, c)
		}
	}
	return res.ModifiedCount, nil
}

// Archive moves deliveries finished more than ArchiveAfter ago out of the
// hot collection, so that the dispatcher's scans stay short on the embedded
// store, and files them in their months' digests (archive_months.go), which
// the deliveries page reads. Copy and file first, then delete: a crash in
// between leaves a copy in both, which the next run resolves (the archive
// insert ignores duplicates, the digests set rows by id).
func (s *Service) Archive(ctx context.Context) (int, error) {
	if err := s.backfillMonths(ctx); err != nil {
		return 0, err
	}
	cut := s.now().Add(-ArchiveAfter).UTC()
	cur, err := s.hot.Find(ctx, bson.M{"state": bson.M{"$in": finished}, "finished_at": bson.M{"$lt": cut}}, options.Find().SetLimit(5000))
	if err != nil {
		return 0, fmt.Errorf("finding finished deliveries: %w", err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil || len(docs) == 0 {
		return 0, err
	}
	ids := make([]any, len(docs))
	copies := make([]any, len(docs))
	list := make([]Delivery, len(docs))
	for i, d := range docs {
		ids[i], copies[i] = d.Lookup("_id"), d
		if err := bson.Unmarshal(d, &list[i]); err != nil {
			return 0, fmt.Errorf("reading finished delivery %s: %w", d.Lookup("_id"), err)
		}
	}
	if _, err := s.archive.InsertMany(ctx, copies, options.InsertMany().SetOrdered(false)); err != nil && !onlyDuplicates(err) {
		return 0, fmt.Errorf("archiving deliveries: %w", err)
	}
	if err := s.indexArchived(ctx, list, false); err != nil {
		return 0, err
	}
	res, err := s.hot.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": ids}, "state": bson.M{"$in": finished}})
	if err != nil {
		return 0, fmt.Errorf("removing archived deliveries: %w", err)
	}
	// Their claims go too: a retried archived delivery continues from its
	// stored sequence number, which is always above every claim removed here.
	if _, err := s.claims.DeleteMany(ctx, bson.M{"delivery_id": bson.M{"$in": ids}}); err != nil {
		return 0, fmt.Errorf("removing claims of archived deliveries: %w", err)
	}
	return int(res.DeletedCount), nil
}
