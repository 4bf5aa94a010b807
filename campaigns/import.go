package campaigns

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// A plan is many items imported at once from a spreadsheet (SPEC §6.4,
// package plans reads the file). The embedded store has no transactions,
// so "all or nothing" is: validate every row first, store nothing if one
// is invalid, then insert in ordered batches and, if an insert fails, delete
// what this call inserted. Each item's id is derived from its campaign and
// its row key (a hash of the item's normalised content), so importing the
// same rows again finds them and creates nothing twice.

// MaxPlanRows bounds the rows of one imported plan.
const MaxPlanRows = 2000

// planBatch is how many items one InsertMany carries: few round trips,
// while a failure leaves little to undo.
const planBatch = 500

// PlanRow is one row of a plan: its row number in the file (for errors) and
// what CreateItem would take. Input.CampaignID is ignored: the plan's
// campaign is used.
type PlanRow struct {
	Row   int
	Input ItemInput
}

// PlanItem is a valid row as the campaign takes it: the draft it makes (or
// made), its row key, and whether it is there already (imported before, or
// the same item is in the campaign), in which case nothing is created.
type PlanItem struct {
	Row      int
	Key      string
	Item     Item
	Existing bool
}

// PlanError is a row the campaign refuses. Err is what CreateItem would
// return (an *apperr.ValidationError naming the field); SameAs, when not 0,
// is the earlier row of the same plan that this row repeats.
type PlanError struct {
	Row    int
	SameAs int
	Err    error
}

// PlanResult is what an import did or, for CheckPlan, would do: the valid
// rows in file order, the refused rows, and how many items are (or would
// be) created and how many rows were already there.
type PlanResult struct {
	Items   []PlanItem
	Errors  []PlanError
	Created int
	Skipped int
}

// PlanRejectedError is ImportPlan's error when any row is invalid: nothing
// was stored. It unwraps to the first row's error.
type PlanRejectedError struct{ Errors []PlanError }

func (e *PlanRejectedError) Error() string {
	return fmt.Sprintf("the plan has %d invalid rows and nothing was imported; row %d: %v", len(e.Errors), e.Errors[0].Row, e.Errors[0].Err)
}

func (e *PlanRejectedError) Unwrap() error { return e.Errors[0].Err }

// CheckPlan validates every row against the campaign exactly as ImportPlan
// would and reports which rows are already in it; it stores nothing.
// apperr.ErrNotFound when the campaign is not the caller's.
func (s *Service) CheckPlan(ctx context.Context, campaignID string, rows []PlanRow) (PlanResult, error) {
	return s.checkPlan(ctx, Actor{}, campaignID, rows)
}

// ImportPlan creates the plan's rows as draft items by the actor, all or
// none: any invalid row → *PlanRejectedError and nothing stored; a failed
// insert → the items this call inserted are removed and the error returned
// (apperr.ErrConflict when the same rows were being imported concurrently).
// Rows already in the campaign are skipped. One audit entry is written per
// created item.
func (s *Service) ImportPlan(ctx context.Context, a Actor, campaignID string, rows []PlanRow) (PlanResult, error) {
	res, err := s.checkPlan(ctx, a, campaignID, rows)
	if err != nil {
		return PlanResult{}, err
	}
	if len(res.Errors) > 0 {
		return res, &PlanRejectedError{Errors: res.Errors}
	}
	fresh := make([]Item, 0, res.Created)
	for _, p := range res.Items {
		if !p.Existing {
			fresh = append(fresh, p.Item)
		}
	}
	if len(fresh) == 0 {
		return res, nil
	}
	if err := s.insertPlan(ctx, fresh); err != nil {
		return PlanResult{}, err
	}
	s.itemsChanged(ctx, fresh[0].CommuneID)
	s.recordPlan(ctx, a, fresh)
	return res, nil
}

func (s *Service) checkPlan(ctx context.Context, a Actor, campaignID string, rows []PlanRow) (PlanResult, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return PlanResult{}, err
	}
	if _, err := s.GetCampaign(ctx, campaignID); err != nil {
		return PlanResult{}, err
	}
	if len(rows) > MaxPlanRows {
		return PlanResult{}, apperr.Invalid("rows", "a plan has at most %d rows", MaxPlanRows)
	}
	// Milliseconds: what the store keeps, so that undoPlan finds the items
	// of this call by their creation time.
	now := s.now().UTC().Truncate(time.Millisecond)
	res := PlanResult{Items: []PlanItem{}, Errors: []PlanError{}}
	first := map[string]int{} // item id → the row that makes it
	for _, r := range rows {
		it, key, err := s.planItem(ctx, sc.CommuneID, a, campaignID, r.Input, now)
		if err != nil {
			res.Errors = append(res.Errors, PlanError{Row: r.Row, Err: err})
			continue
		}
		if row, ok := first[it.ID]; ok {
			res.Errors = append(res.Errors, PlanError{Row: r.Row, SameAs: row, Err: apperr.Invalid("row", "repeats row %d", row)})
			continue
		}
		first[it.ID] = r.Row
		res.Items = append(res.Items, PlanItem{Row: r.Row, Key: key, Item: it})
	}
	if err := s.markExisting(ctx, sc.CommuneID, campaignID, res.Items); err != nil {
		return PlanResult{}, err
	}
	for _, p := range res.Items {
		if p.Existing {
			res.Skipped++
		} else {
			res.Created++
		}
	}
	return res, nil
}

// planItem is CreateItem's validation of one row: the draft it makes, with
// its deterministic id, and its row key.
func (s *Service) planItem(ctx context.Context, commune string, a Actor, campaignID string, in ItemInput, now time.Time) (Item, string, error) {
	for field, v := range map[string]*string{"kind": in.Kind, "title": in.Title, "body": in.Body} {
		if v == nil {
			return Item{}, "", apperr.Invalid(field, "is required")
		}
	}
	if in.Schedule == nil {
		return Item{}, "", apperr.Invalid("schedule", "is required")
	}
	in.CampaignID = &campaignID
	it := Item{CommuneID: commune, Status: StatusDraft, Version: 1,
		AuthorID: a.UserID, Author: a.Username, CreatedAt: now, UpdatedAt: now,
		Audiences: []string{}, Channels: []string{}, StationIDs: []string{}, MediaIDs: []string{}}
	if err := s.applyItem(ctx, &it, in); err != nil {
		return Item{}, "", err
	}
	key := PlanKey(it)
	it.ID = planItemID(campaignID, key)
	return it, key, nil
}

// markExisting marks the items whose id is taken (imported before, even if
// edited or moved since) or whose row key is that of an item already in the
// campaign (typed by hand, or exported and imported back). One query:
// the ids and the campaign's items.
func (s *Service) markExisting(ctx context.Context, commune, campaignID string, items []PlanItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for i, p := range items {
		ids[i] = p.Item.ID
	}
	f := bson.M{"$or": bson.A{bson.M{"_id": bson.M{"$in": ids}}, bson.M{"commune_id": commune, "campaign_id": campaignID}}}
	cur, err := s.items.Find(ctx, f)
	if err != nil {
		return fmt.Errorf("reading the campaign's items: %w", err)
	}
	var found []Item
	if err := cur.All(ctx, &found); err != nil {
		return fmt.Errorf("reading the campaign's items: %w", err)
	}
	taken, keys := map[string]bool{}, map[string]bool{}
	for _, it := range found {
		if it.CommuneID != commune {
			continue // not ours to skip; an insert with its id fails
		}
		taken[it.ID] = true
		if it.CampaignID == campaignID {
			keys[PlanKey(it)] = true
		}
	}
	for i := range items {
		items[i].Existing = taken[items[i].Item.ID] || keys[items[i].Key]
	}
	return nil
}

// insertPlan inserts items in ordered batches; on a failure it removes what
// it inserted and returns the error.
func (s *Service) insertPlan(ctx context.Context, items []Item) error {
	for start := 0; start < len(items); start += planBatch {
		end := min(start+planBatch, len(items))
		if _, err := s.items.InsertMany(ctx, items[start:end]); err != nil {
			undoErr := s.undoPlan(ctx, items[:end])
			switch {
			case undoErr != nil:
				return fmt.Errorf("storing imported items: %w; removing those stored before the failure failed too: %w", err, undoErr)
			case store.IsDuplicateKey(err):
				return apperr.Conflict("these rows were being imported at the same time by another request; nothing was imported, try again")
			}
			return fmt.Errorf("storing imported items (none kept): %w", err)
		}
	}
	return nil
}

// undoPlan deletes those of items that this call inserted. An item made by
// a concurrent import of the same rows has the same id but another creation
// time or author, so it stays. It runs even when the request was abandoned.
func (s *Service) undoPlan(ctx context.Context, items []Item) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	f := bson.M{"_id": bson.M{"$in": ids}, "created_at": items[0].CreatedAt, "author_id": items[0].AuthorID}
	res, err := s.items.DeleteMany(context.WithoutCancel(ctx), f)
	if err != nil {
		s.log.Error("undoing a failed plan import", "items", len(ids), "err", err)
		return err
	}
	s.log.Warn("plan import failed; removed the items it had stored", "removed", res.DeletedCount)
	return nil
}

// recordPlan writes one audit entry per created item, in batches, like
// CreateItem's Record: a failure is logged, not returned.
func (s *Service) recordPlan(ctx context.Context, a Actor, items []Item) {
	at := s.now().UTC()
	entries := make([]AuditEntry, len(items))
	for i, it := range items {
		entries[i] = AuditEntry{ID: bson.NewObjectID().Hex(), CommuneID: it.CommuneID, At: at, Actor: a.Username,
			Action: "item.create", ItemID: it.ID, CampaignID: it.CampaignID, Detail: it.Title}
	}
	for start := 0; start < len(entries); start += planBatch {
		end := min(start+planBatch, len(entries))
		if _, err := s.audit.InsertMany(context.WithoutCancel(ctx), entries[start:end]); err != nil {
			s.log.Error("writing audit entries of a plan import", "entries", end-start, "err", err)
		}
	}
}
