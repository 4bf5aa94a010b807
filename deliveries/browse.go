package deliveries

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// Problems is the BrowseQuery state that selects what needs a person's eye:
// failed, dead and missed deliveries (loudspeaker slots reported skipped
// included), archived or not.
const Problems = "problems"

// ProblemStates are the states Problems selects.
var ProblemStates = []string{StateFailed, StateDead, StateMissed}

// Browse bounds.
const (
	// DefaultBrowseDays is how far back a browse looks when not told (and
	// neither an item nor a campaign gives it a start).
	DefaultBrowseDays = 30
	// MaxBrowseDays is the longest range of due dates one browse reads:
	// the whole 2026–2030 programme.
	MaxBrowseDays = 1900
	// DefaultBrowseLimit and MaxBrowseLimit bound a page.
	DefaultBrowseLimit = 50
	MaxBrowseLimit     = 500
)

// BrowseQuery selects deliveries of every age, a page at a time; empty
// fields match everything.
type BrowseQuery struct {
	// State is a delivery state, Problems, or "" for all.
	State                                  string
	Channel, CampaignID, ItemID, StationID string
	// From and To bound the local due date (YYYY-MM-DD), inclusive. From
	// defaults to Start, else DefaultBrowseDays ago; To defaults to open
	// (every delivery still to come).
	From, To string
	// Start is where the item's or the campaign's deliveries begin
	// (campaigns.Service.DeliveriesStart), when ItemID or CampaignID is
	// given.
	Start string
	// Page counts from 1; Limit is the page size (default 50, at most 500).
	Page, Limit int
	// Oldest sorts by due time, oldest first; the default is newest first.
	Oldest bool
}

// BrowsePage is one page of a browse.
type BrowsePage struct {
	Deliveries []Delivery
	// Total counts every matching delivery; Page is the page returned
	// (brought within 1 and the last page) and Pages how many there are.
	Total, Page, Pages, Limit int
	// From and To are the range read (To "" is open).
	From, To string
}

// Browse returns one page of the scope's commune's deliveries matching q,
// from the hot collection and the archive alike. It costs one scan of the
// hot collection (queued deliveries and those finished in the last two
// days, bounded by the horizon) that returns only ids and due times, an _id
// read of each of the page's hot deliveries, and one _id read per month and
// part of the archive's digests in the range (archive_months.go) — never a
// scan of the archive; the problems of a month are one small document.
func (s *Service) Browse(ctx context.Context, q BrowseQuery) (BrowsePage, error) {
	if q.State != "" && q.State != Problems && !slices.Contains(States, q.State) {
		return BrowsePage{}, apperr.Invalid("state", "must be %q or one of %v", Problems, States)
	}
	if q.Channel != "" && !slices.ContainsFunc(campaigns.Channels, func(c campaigns.Code) bool { return c.Code == q.Channel }) {
		return BrowsePage{}, apperr.Invalid("channel", "unknown channel %q", q.Channel)
	}
	if q.Limit < 0 || q.Limit > MaxBrowseLimit {
		return BrowsePage{}, apperr.Invalid("limit", "must be between 1 and %d", MaxBrowseLimit)
	}
	if q.Page < 0 {
		return BrowsePage{}, apperr.Invalid("page", "must be 1 or more")
	}
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return BrowsePage{}, err
	}
	if q.From, q.To, err = s.browseRange(q); err != nil {
		return BrowsePage{}, err
	}
	list, err := s.browseHot(ctx, q)
	if err != nil {
		return BrowsePage{}, err
	}
	old, err := s.browseArchive(ctx, sc.CommuneID, q)
	if err != nil {
		return BrowsePage{}, err
	}
	hot := make(map[string]bool, len(list))
	for _, m := range list {
		hot[m.id] = true
	}
	for _, m := range old {
		if !hot[m.id] { // the hot copy is the current one (a retry, or a crash while archiving)
			list = append(list, m)
		}
	}
	// Small references are sorted (a year holds some 12,000), and only the
	// page's deliveries are built.
	slices.SortFunc(list, func(a, b match) int {
		c := cmp.Or(cmp.Compare(a.due, b.due), cmp.Compare(a.id, b.id))
		if q.Oldest {
			return c
		}
		return -c
	})
	p, page := paged(list, q)
	p.Deliveries = make([]Delivery, len(page))
	for i, m := range page {
		if m.row == nil {
			p.Deliveries[i] = Delivery{ID: m.id}
			continue
		}
		p.Deliveries[i] = m.row.delivery(m.id, sc.CommuneID, m.title)
	}
	return p, s.completeHot(ctx, p.Deliveries, hot)
}

// match is a delivery a browse matched, as much as sorting and paging
// need: a hot one by its id and due time, an archived one with its row.
type match struct {
	id    string
	due   int64 // Unix nanoseconds
	row   *archivedRow
	title string
}

// paged returns page q.Page of q.Limit of list, and its part of list.
func paged(list []match, q BrowseQuery) (BrowsePage, []match) {
	p := BrowsePage{Total: len(list), Limit: cmp.Or(q.Limit, DefaultBrowseLimit), From: q.From, To: q.To}
	p.Pages = max(1, (len(list)+p.Limit-1)/p.Limit)
	p.Page = min(max(q.Page, 1), p.Pages)
	from := (p.Page - 1) * p.Limit
	return p, list[from:min(from+p.Limit, len(list))]
}

// browseRange applies the defaults of From and To and checks them.
func (s *Service) browseRange(q BrowseQuery) (from, to string, err error) {
	today := s.now().In(s.loc)
	from, to = q.From, q.To
	if from == "" {
		from = q.Start
	}
	if from == "" {
		from = today.AddDate(0, 0, -DefaultBrowseDays).Format(campaigns.DateLayout)
	}
	start, err := campaigns.ParseDate("from", from)
	if err != nil {
		return "", "", err
	}
	end := today
	if to != "" {
		if end, err = campaigns.ParseDate("to", to); err != nil {
			return "", "", err
		}
		if end.Before(start) {
			return "", "", apperr.Invalid("to", "must not be before from")
		}
	}
	if days := int(end.Sub(start).Hours() / 24); days > MaxBrowseDays {
		return "", "", apperr.Invalid("from", "a range spans at most %d days; this one spans %d", MaxBrowseDays, days)
	}
	return from, to, nil
}

// completeHot reads in full the deliveries of a page that came from the
// hot collection (browseHot reads only their ids and due times), each by
// _id; one archived meanwhile is read from the archive.
func (s *Service) completeHot(ctx context.Context, page []Delivery, hot map[string]bool) error {
	for i, d := range page {
		if !hot[d.ID] {
			continue
		}
		full, err := s.Get(ctx, d.ID)
		if err != nil {
			return err
		}
		page[i] = full
	}
	return nil
}

// browseRefs is what browseHot reads of each matching delivery: enough to
// sort and page, a small reply where whole documents cost the store and
// the driver a decode each.
var browseRefs = options.Find().SetProjection(bson.M{"_id": 1, "due_at": 1})

// browseHot reads the ids and due times of the matching deliveries of the
// hot collection (one scan).
func (s *Service) browseHot(ctx context.Context, q BrowseQuery) ([]match, error) {
	day := bson.M{"$gte": q.From}
	if q.To != "" {
		day["$lte"] = q.To
	}
	cond := bson.M{"day": day}
	switch q.State {
	case "":
	case Problems:
		cond["state"] = bson.M{"$in": ProblemStates}
	default:
		cond["state"] = q.State
	}
	for k, v := range map[string]string{"channel": q.Channel, "campaign_id": q.CampaignID, "item_id": q.ItemID, "station_id": q.StationID} {
		if v != "" {
			cond[k] = v
		}
	}
	f, err := store.Scoped(ctx, cond)
	if err != nil {
		return nil, err
	}
	cur, err := s.hot.Find(ctx, f, browseRefs)
	if err != nil {
		return nil, fmt.Errorf("listing deliveries: %w", err)
	}
	var refs []struct {
		ID  string    `bson:"_id"`
		Due time.Time `bson:"due_at"`
	}
	if err := cur.All(ctx, &refs); err != nil {
		return nil, fmt.Errorf("listing deliveries: %w", err)
	}
	out := make([]match, len(refs))
	for i, r := range refs {
		out[i] = match{id: r.ID, due: r.Due.UnixNano()}
	}
	return out, nil
}

// browseArchive reads the matching archived deliveries from the digests of
// the months in the range.
func (s *Service) browseArchive(ctx context.Context, commune string, q BrowseQuery) ([]match, error) {
	var parts []string
	switch q.State {
	case "":
		parts = []string{partProblems, partDone}
	case Problems, StateDead, StateMissed:
		parts = []string{partProblems}
	case StateSent, StateCancelled:
		parts = []string{partDone}
	default:
		return nil, nil // queued, sending and failed deliveries are never archived
	}
	var idx monthIndex
	if err := s.months.FindOne(ctx, bson.M{"_id": monthsID(commune)}).Decode(&idx); err != nil {
		if store.IsNoDocuments(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("listing months of archived deliveries: %w", err)
	}
	var out []match
	for _, m := range idx.Months {
		if m < q.From[:7] || (q.To != "" && m > q.To[:7]) {
			continue
		}
		for _, part := range parts {
			dg, err := s.readDigest(ctx, digestID(commune, m, part))
			if err != nil {
				return nil, err
			}
			rows, titles, err := dg.decode()
			if err != nil {
				return nil, err
			}
			for id, r := range rows {
				if r.matches(q) {
					out = append(out, match{id: id, due: r.Due * int64(time.Second), row: &r, title: titles[r.Item]})
				}
			}
		}
	}
	return out, nil
}

// matches reports whether an archived row matches q (its range applied).
func (r archivedRow) matches(q BrowseQuery) bool {
	switch {
	case r.Day < q.From || (q.To != "" && r.Day > q.To):
		return false
	case q.State == Problems && !slices.Contains(ProblemStates, r.State):
		return false
	case q.State != "" && q.State != Problems && r.State != q.State:
		return false
	}
	for _, f := range [][2]string{{q.Channel, r.Channel}, {q.CampaignID, r.Campaign}, {q.ItemID, r.Item}, {q.StationID, r.Station}} {
		if f[0] != "" && f[0] != f[1] {
			return false
		}
	}
	return true
}
