package campaigns

import (
	"context"
	"fmt"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// Submit sends a draft to the managers: draft → submitted, else apperr.ErrConflict.
func (s *Service) Submit(ctx context.Context, a Actor, id string) (Item, error) {
	if err := s.leafletReadyByID(ctx, id); err != nil {
		return Item{}, err
	}
	it, err := s.transition(ctx, id, StatusDraft, bson.M{"status": StatusSubmitted, "reject_reason": ""})
	if err != nil {
		return Item{}, err
	}
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.submit", ItemID: id, CampaignID: it.CampaignID, Detail: it.Title})
	return it, nil
}

// Approve approves a submitted item and materialises its deliveries. Only
// someone other than the author may approve (apperr.ErrForbidden), and only
// a submitted item (apperr.ErrConflict).
func (s *Service) Approve(ctx context.Context, a Actor, id string) (Item, int, error) {
	cur, err := s.GetItem(ctx, id)
	if err != nil {
		return Item{}, 0, err
	}
	if cur.AuthorID == a.UserID {
		return Item{}, 0, apperr.Forbidden("you wrote this item; another manager must approve it")
	}
	if err := s.leafletReady(ctx, cur); err != nil {
		return Item{}, 0, err
	}
	now := s.now().UTC()
	it, err := s.transition(ctx, id, StatusSubmitted, bson.M{"status": StatusApproved, "approved_by": a.Username, "approved_at": now,
		"approved_once": true})
	if err != nil {
		return Item{}, 0, err
	}
	n, err := s.deliveries.Materialize(ctx, it)
	if err != nil {
		// The item stays approved; the clock's top-up materialises it later.
		return it, 0, fmt.Errorf("materialising deliveries: %w", err)
	}
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.approve", ItemID: id, CampaignID: it.CampaignID,
		Detail: fmt.Sprintf("%s (%d deliveries scheduled)", it.Title, n)})
	return it, n, nil
}

// Reject returns a submitted item to draft with the manager's reason.
func (s *Service) Reject(ctx context.Context, a Actor, id, reason string) (Item, error) {
	reason, err := usertext.Block("reason", reason, usertext.ReasonMax)
	if err != nil {
		return Item{}, err
	}
	if utf8.RuneCountInString(reason) < 3 {
		return Item{}, apperr.Invalid("reason", "say why in 3–%d characters", usertext.ReasonMax)
	}
	it, err := s.transition(ctx, id, StatusSubmitted, bson.M{"status": StatusDraft, "reject_reason": reason})
	if err != nil {
		return Item{}, err
	}
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.reject", ItemID: id, CampaignID: it.CampaignID, Detail: reason})
	return it, nil
}

// transition moves an item from one status to another in one atomic update.
func (s *Service) transition(ctx context.Context, id, from string, set bson.M) (Item, error) {
	f, err := store.Scoped(ctx, bson.M{"_id": id, "status": from})
	if err != nil {
		return Item{}, err
	}
	set["updated_at"] = s.now().UTC()
	var it Item
	err = s.items.FindOneAndUpdate(ctx, f, bson.M{"$set": set},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&it)
	if store.IsNoDocuments(err) {
		cur, gerr := s.GetItem(ctx, id)
		if gerr != nil {
			return Item{}, gerr
		}
		return Item{}, apperr.Conflict("the item is %s, not %s", cur.Status, from)
	}
	if err != nil {
		return Item{}, fmt.Errorf("changing item status: %w", err)
	}
	s.itemsChanged(ctx, it.CommuneID)
	return it, nil
}

// Withdraw takes a submitted item back to draft before a manager decides,
// so that its author can change it: submitted → draft, else
// apperr.ErrConflict.
func (s *Service) Withdraw(ctx context.Context, a Actor, id string) (Item, error) {
	it, err := s.transition(ctx, id, StatusSubmitted, bson.M{"status": StatusDraft, "reject_reason": ""})
	if err != nil {
		return Item{}, err
	}
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.withdraw", ItemID: id, CampaignID: it.CampaignID, Detail: it.Title})
	return it, nil
}

// DeleteItem deletes a draft that never went out: a draft with deliveries
// (approved once, then edited) keeps its history and gives
// apperr.ErrConflict, as does an item that is not a draft.
func (s *Service) DeleteItem(ctx context.Context, a Actor, id string) error {
	it, err := s.GetItem(ctx, id)
	if err != nil {
		return err
	}
	if it.Status != StatusDraft {
		return apperr.Conflict("only a draft can be deleted; this item is %s", it.Status)
	}
	had := it.Approved
	if !had && s.deliveries != nil { // items approved before the flag existed
		if had, err = s.deliveries.HasAny(ctx, id); err != nil {
			return err
		}
	}
	if had {
		return apperr.Conflict("this item was approved before: its deliveries and reach stay on record, so it cannot be deleted")
	}
	f, _ := store.Scoped(ctx, bson.M{"_id": id, "status": StatusDraft, "version": it.Version})
	res, err := s.items.DeleteOne(ctx, f)
	if err != nil {
		return fmt.Errorf("deleting item: %w", err)
	}
	if res.DeletedCount == 0 {
		return apperr.Conflict("the item was changed by someone else; reload it")
	}
	s.itemsChanged(ctx, it.CommuneID)
	s.Record(ctx, AuditEntry{Actor: a.Username, Action: "item.delete", ItemID: id, CampaignID: it.CampaignID, Detail: it.Title})
	return nil
}
