package campaigns

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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
// Rows already in the campaign are skipped, and so are rows whose item was
// moved to another campaign since they were imported. One audit entry is
// written per created item.
func (s *Service) ImportPlan(ctx context.Context, a Actor, campaignID string, rows []PlanRow) (PlanResult, error) {
	res, err := s.checkPlan(ctx, a, campaignID, rows)
	if err != nil {
		return PlanResult{}, err
	}
	if len(res.Errors) > 0 {
		return res, &PlanRejectedError{Errors: res.Errors}
	}
	fresh, err := s.insertFresh(ctx, &res)
	if err != nil {
		return PlanResult{}, err
	}
	if len(fresh) > 0 {
		s.itemsChanged(ctx, fresh[0].CommuneID)
		s.recordPlan(ctx, a, fresh)
	}
	return res, nil
}

// insertFresh inserts the items of res not already there and returns them.
// An id found taken on insert marks its row as already there, and the
// insert is tried again, at most three times in all.
func (s *Service) insertFresh(ctx context.Context, res *PlanResult) ([]Item, error) {
	for attempt := 1; ; attempt++ {
		fresh := make([]Item, 0, res.Created)
		for _, p := range res.Items {
			if !p.Existing {
				fresh = append(fresh, p.Item)
			}
		}
		if len(fresh) == 0 {
			return nil, nil
		}
		err := s.insertPlan(ctx, fresh)
		var taken *takenError
		if !errors.As(err, &taken) {
			return fresh, err
		}
		if attempt == 3 || len(taken.ids) == 0 {
			return nil, apperr.Conflict("these rows were being imported at the same time by another request; nothing was imported, try again")
		}
		for i := range res.Items {
			if slices.Contains(taken.ids, res.Items[i].Item.ID) && !res.Items[i].Existing {
				res.Items[i].Existing = true
				res.Created--
				res.Skipped++
			}
		}
	}
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
	if err := s.markExisting(ctx, campaignID, res.Items); err != nil {
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

// markExisting marks the items whose id is that of an item of the
// campaign (imported before, even if edited since) or whose row key is
// (typed by hand, or exported and imported back). One scan of the items
// by campaign: a filter on _id with 2,000 values costs the embedded store
// a comparison per value and stored item (2.6 s among 10,000 items). An
// item imported here and moved to another campaign since is found when its
// insert fails (ImportPlan).
func (s *Service) markExisting(ctx context.Context, campaignID string, items []PlanItem) error {
	if len(items) == 0 {
		return nil
	}
	f, err := store.Scoped(ctx, bson.M{"campaign_id": campaignID})
	if err != nil {
		return err
	}
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
		taken[it.ID], keys[PlanKey(it)] = true, true
	}
	for i := range items {
		items[i].Existing = taken[items[i].Item.ID] || keys[items[i].Key]
	}
	return nil
}

// takenError says that some ids of a plan were taken when it was inserted
// (by a concurrent import of the same rows, or items moved to another
// campaign since they were imported); nothing of the plan was kept.
type takenError struct{ ids []string }

func (e *takenError) Error() string { return fmt.Sprintf("%d item ids already taken", len(e.ids)) }

// insertPlan inserts items in ordered batches. On a failure it removes what
// it inserted and returns the error: a *takenError naming the batch's taken
// ids when the failure was a duplicate id.
func (s *Service) insertPlan(ctx context.Context, items []Item) error {
	for start := 0; start < len(items); start += planBatch {
		end := min(start+planBatch, len(items))
		_, err := s.items.InsertMany(ctx, items[start:end])
		if err == nil {
			continue
		}
		// The documents the store refused are not this call's to remove
		// (one may be a moved item with this call's id and, under a fixed
		// clock, its creation time too).
		refused := map[int]bool{}
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) {
			for _, we := range bwe.WriteErrors {
				refused[start+we.Index] = true
			}
		}
		if undoErr := s.undoPlan(ctx, items[:end], refused); undoErr != nil {
			return fmt.Errorf("storing imported items: %w; removing those stored before the failure failed too: %w", err, undoErr)
		}
		if !store.IsDuplicateKey(err) {
			return fmt.Errorf("storing imported items (none kept): %w", err)
		}
		ids := make([]string, end-start)
		for i, it := range items[start:end] {
			ids[i] = it.ID
		}
		cur, ferr := s.items.Find(context.WithoutCancel(ctx), bson.M{"_id": bson.M{"$in": ids}}, options.Find().SetProjection(bson.M{"_id": 1}))
		var taken []struct {
			ID string `bson:"_id"`
		}
		if ferr == nil {
			ferr = cur.All(ctx, &taken)
		}
		if ferr != nil {
			return fmt.Errorf("storing imported items (none kept): %w", err)
		}
		out := &takenError{}
		for _, t := range taken {
			out.ids = append(out.ids, t.ID)
		}
		return out
	}
	return nil
}

// undoPlan deletes those of items that this call inserted: all but the
// refused ones, and only with this call's creation time and author, since
// an ordered insert stops at its first error and a concurrent import of the
// same rows may have stored the rest. It runs even when the request was
// abandoned.
func (s *Service) undoPlan(ctx context.Context, items []Item, refused map[int]bool) error {
	ids := make([]string, 0, len(items))
	for i, it := range items {
		if !refused[i] {
			ids = append(ids, it.ID)
		}
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
		if _, err := s.audit.coll.InsertMany(context.WithoutCancel(ctx), entries[start:end]); err != nil {
			s.log.Error("writing audit entries of a plan import", "entries", end-start, "err", err)
		}
	}
}
