package campaigns

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// Campaigns are listed on most pages (the calendar, the item forms, the
// approvals, reach, the deliveries' filters), a few per request. The
// embedded store decodes each campaign document in about 250 µs (their
// arrays and maps cost more than their size suggests), so five years of a
// commune's 75 campaigns were 15–20 ms of every calendar page. They are
// kept in memory per commune, read once per version of the commune's
// campaigns stamp (stamps.Campaigns), which every write bumps
// (campaignsChanged), and filtered here; as for the calendar's items, a
// change made through any replica shows within about a second.

// ListCampaigns returns the caller's campaigns that overlap [from, to]
// (inclusive dates; empty means unbounded), ordered by start date. The
// campaigns are the caller's own copies.
func (s *Service) ListCampaigns(ctx context.Context, from, to string) ([]Campaign, error) {
	all, err := s.communeCampaigns(ctx)
	if err != nil {
		return nil, err
	}
	out := []Campaign{}
	for _, c := range all {
		if (to == "" || c.Start <= to) && (from == "" || c.End >= from) {
			c.Audiences, c.Channels, c.Targets = slices.Clone(c.Audiences), slices.Clone(c.Channels), maps.Clone(c.Targets)
			out = append(out, s.withStatus(c))
		}
	}
	return out, nil
}

// communeCampaigns returns every campaign of the scope ordered by start
// date then id: from the memo while the commune's campaigns stamp has not
// moved, else read anew. The slice is shared: callers must copy.
func (s *Service) communeCampaigns(ctx context.Context) ([]Campaign, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	return stamps.Cached(ctx, s.stamps, &s.camps, stamps.Campaigns(sc.CommuneID), sc.CommuneID, s.readCampaigns)
}

// readCampaigns reads every campaign of the scope, ordered by start date
// then id.
func (s *Service) readCampaigns(ctx context.Context) ([]Campaign, error) {
	f, err := store.Scoped(ctx, bson.M{})
	if err != nil {
		return nil, err
	}
	cur, err := s.campaigns.Find(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("listing campaigns: %w", err)
	}
	out := []Campaign{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("reading campaigns: %w", err)
	}
	slices.SortFunc(out, func(a, b Campaign) int {
		return cmp.Or(strings.Compare(a.Start, b.Start), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// campaignsChanged bumps the commune's campaigns stamp after a write to one
// of its campaigns, so that every replica reads them again.
func (s *Service) campaignsChanged(ctx context.Context, commune string) {
	s.stamps.Bump(ctx, stamps.Campaigns(commune))
}
