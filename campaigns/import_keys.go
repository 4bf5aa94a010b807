package campaigns

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/lantoa/lantoa/store"
)

// planKeyDoc is what an item's row key hashes: its content, with every list
// sorted (the order of channels or stations does not make another item),
// without its id, campaign, status, author or times of writing.
type planKeyDoc struct {
	Kind       string   `json:"k"`
	Title      string   `json:"t"`
	Body       string   `json:"b"`
	Channels   []string `json:"c"`
	Audiences  []string `json:"a"`
	Stations   []string `json:"s"`
	Media      []string `json:"m"`
	At         string   `json:"at"`
	Times      []string `json:"ti"`
	From       string   `json:"f"`
	To         string   `json:"to"`
	Weekdays   []int    `json:"w"`
	Link       string   `json:"l"`
	Place      string   `json:"p"`
	Attendance int      `json:"n"`
}

// PlanKey is the row key of an item: a hash of its normalised content. Two
// items with the same key are the same plan row.
func PlanKey(it Item) string {
	d := planKeyDoc{Kind: it.Kind, Title: it.Title, Body: it.Body, Channels: sorted(it.Channels),
		Audiences: sorted(it.Audiences), Stations: sorted(it.StationIDs), Media: sorted(it.MediaIDs),
		Times: sorted(it.Schedule.Times), From: it.Schedule.From, To: it.Schedule.To,
		Weekdays: sorted(it.Schedule.Weekdays), Link: it.Link, Place: it.Place, Attendance: it.ExpectedAttendance}
	if it.Schedule.At != nil {
		d.At = it.Schedule.At.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(d) // plain strings and numbers: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// planItemID is the id of the item a plan row makes in a campaign: 24 hex
// digits, the shape of every other item id.
func planItemID(campaignID, key string) string {
	sum := sha256.Sum256([]byte("plan\x00" + campaignID + "\x00" + key))
	return hex.EncodeToString(sum[:12])
}

func sorted[T cmp.Ordered](in []T) []T {
	out := slices.Clone(in)
	slices.Sort(out)
	if out == nil {
		out = []T{}
	}
	return out
}

// CampaignItems returns every item of the campaign (no limit, unlike
// ListItems), in the order of their first moment, then title; the plan
// export reads them. apperr.ErrNotFound when the campaign is not the
// caller's.
func (s *Service) CampaignItems(ctx context.Context, campaignID string) ([]Item, error) {
	if _, err := s.GetCampaign(ctx, campaignID); err != nil {
		return nil, err
	}
	f, err := store.Scoped(ctx, bson.M{"campaign_id": campaignID})
	if err != nil {
		return nil, err
	}
	cur, err := s.items.Find(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("listing the campaign's items: %w", err)
	}
	out := []Item{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("reading the campaign's items: %w", err)
	}
	starts := make(map[string]time.Time, len(out))
	for _, it := range out {
		starts[it.ID] = s.firstMoment(it.Schedule)
	}
	vi := collate.New(language.Vietnamese) // one collator for the sort, not one per comparison
	slices.SortStableFunc(out, func(a, b Item) int {
		return cmp.Or(starts[a.ID].Compare(starts[b.ID]), vi.CompareString(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// firstMoment is when a schedule starts: its moment, or its first day at
// its earliest time (weekdays aside: this only orders items).
func (s *Service) firstMoment(sc Schedule) time.Time {
	if sc.At != nil {
		return *sc.At
	}
	day, err := time.ParseInLocation(DateLayout, sc.From, s.loc)
	if err != nil {
		return time.Time{}
	}
	var first time.Duration = 24 * time.Hour
	for _, t := range sc.Times {
		if d, err := parseClock(t); err == nil && d < first {
			first = d
		}
	}
	return day.Add(first)
}
