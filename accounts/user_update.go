package accounts

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// MaxUserStations bounds the stations of one operator.
const MaxUserStations = 200

// ErrLastAdmin refuses disabling or demoting the last enabled admin of the
// installation: no one could manage users any more.
var ErrLastAdmin = apperr.Conflict("this is the last enabled admin of the installation; make another admin first")

// ErrOwnAccount refuses an admin disabling their own account.
var ErrOwnAccount = apperr.Conflict("you cannot disable your own account; ask another admin")

// UserChange is the input of UpdateUser: nil fields are left as they are.
type UserChange struct {
	DisplayName *string   `json:"display_name"`
	Role        *Role     `json:"role"`
	StationIDs  *[]string `json:"station_ids"`
	Disabled    *bool     `json:"disabled"`
}

// UpdateUser changes the user id of the scope's commune on behalf of the
// admin actor. Station ids are for operators only and must be stations of
// the commune; a user who stops being an operator loses theirs. Disabling
// ends every session and calendar token of the user at once (their next
// request gets 401; station device tokens are not users' and stay).
// apperr.ErrNotFound for a user of another commune, *apperr.ValidationError
// for bad input, ErrOwnAccount when actor disables themselves and ErrLastAdmin
// when the change would leave the installation without an enabled admin.
func (s *Service) UpdateUser(ctx context.Context, actor Principal, id string, ch UserChange) (User, error) {
	u, err := s.GetUser(ctx, id)
	if err != nil {
		return User{}, err
	}
	next, err := s.applyChange(ctx, u, ch)
	if err != nil {
		return User{}, err
	}
	if next.Disabled && !u.Disabled && u.ID == actor.UserID {
		return User{}, ErrOwnAccount
	}
	losesAdmin := isEnabledAdmin(u) && !isEnabledAdmin(next)
	if losesAdmin {
		if n, err := s.enabledAdmins(ctx, u.ID); err != nil {
			return User{}, err
		} else if n == 0 {
			return User{}, ErrLastAdmin
		}
	}
	if err := s.writeUser(ctx, next); err != nil {
		return User{}, err
	}
	if losesAdmin {
		// Two admins demoting each other at once both saw the other: the
		// embedded store has no transactions, so count again after writing
		// and take this change back if no enabled admin is left.
		if n, err := s.enabledAdmins(ctx, ""); err != nil || n == 0 {
			if werr := s.writeUser(ctx, u); werr != nil {
				return User{}, fmt.Errorf("restoring the last admin: %w", werr)
			}
			if err != nil {
				return User{}, err
			}
			return User{}, ErrLastAdmin
		}
	}
	if next.Disabled && !u.Disabled {
		if _, err := s.tokens.DeleteMany(ctx, bson.M{"user_id": u.ID}); err != nil {
			return User{}, fmt.Errorf("ending the sessions of %s: %w", u.Username, err)
		}
	}
	s.recordChange(ctx, actor, u, next)
	return next, nil
}

// applyChange validates ch against u and returns the user as changed.
func (s *Service) applyChange(ctx context.Context, u User, ch UserChange) (User, error) {
	next := u
	if ch.DisplayName != nil {
		d, err := usertext.Line("display_name", *ch.DisplayName, usertext.NameMax)
		if err != nil {
			return User{}, err
		}
		next.DisplayName = d
	}
	if ch.Role != nil {
		if !ch.Role.Valid() {
			return User{}, apperr.Invalid("role", "must be one of admin, editor, manager, operator, province")
		}
		next.Role = *ch.Role
	}
	if ch.Disabled != nil {
		next.Disabled = *ch.Disabled
	}
	switch {
	case ch.StationIDs != nil:
		ids, err := s.checkStations(ctx, u.CommuneID, next.Role, *ch.StationIDs)
		if err != nil {
			return User{}, err
		}
		next.StationIDs = ids
	case next.Role != RoleOperator || next.StationIDs == nil:
		next.StationIDs = []string{} // stations stay with operators only
	}
	return next, nil
}

// checkStations returns ids without repeats if role may hold them and they
// are stations of commune: only operators have stations (an empty list is
// fine for anyone). It is the one check for the API and the pages alike.
func (s *Service) checkStations(ctx context.Context, commune string, role Role, ids []string) ([]string, error) {
	out := []string{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	switch {
	case len(out) == 0:
		return out, nil
	case role != RoleOperator:
		return nil, apperr.Invalid("station_ids", "only operators have stations")
	case len(out) > MaxUserStations:
		return nil, apperr.Invalid("station_ids", "at most %d stations", MaxUserStations)
	case s.stations == nil:
		return nil, fmt.Errorf("accounts: no station directory to check station_ids against")
	}
	missing, err := s.stations.Missing(store.WithScope(ctx, store.Scope{CommuneID: commune}), out)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, apperr.Invalid("station_ids", "unknown stations: %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// writeUser stores the editable fields of u.
func (s *Service) writeUser(ctx context.Context, u User) error {
	_, err := s.users.UpdateOne(ctx, bson.M{"_id": u.ID, "commune_id": u.CommuneID}, bson.M{"$set": bson.M{
		"display_name": u.DisplayName, "role": u.Role, "station_ids": u.StationIDs, "disabled": u.Disabled}})
	if err != nil {
		return fmt.Errorf("updating user %s: %w", u.Username, err)
	}
	return nil
}

func isEnabledAdmin(u User) bool { return u.Role == RoleAdmin && !u.Disabled }

// enabledAdmins counts the enabled admins of the whole installation other
// than except: the one query over users of every commune besides sign-in,
// since an admin manages every commune (SPEC §1).
func (s *Service) enabledAdmins(ctx context.Context, except string) (int64, error) {
	f := bson.M{"role": RoleAdmin, "disabled": bson.M{"$ne": true}}
	if except != "" {
		f["_id"] = bson.M{"$ne": except}
	}
	n, err := s.users.CountDocuments(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("counting admins: %w", err)
	}
	return n, nil
}

// recordChange writes the audit entries of an update: one for the state
// (disabled, enabled) and one for the other fields, naming what changed.
func (s *Service) recordChange(ctx context.Context, actor Principal, was, now User) {
	switch {
	case now.Disabled && !was.Disabled:
		s.record(ctx, now.CommuneID, campaigns.AuditEntry{Actor: actor.Username, Action: "user.disable", Detail: now.Username})
	case !now.Disabled && was.Disabled:
		s.record(ctx, now.CommuneID, campaigns.AuditEntry{Actor: actor.Username, Action: "user.enable", Detail: now.Username})
	}
	var parts []string
	if now.DisplayName != was.DisplayName {
		parts = append(parts, fmt.Sprintf("display name %q", now.DisplayName))
	}
	if now.Role != was.Role {
		parts = append(parts, fmt.Sprintf("role %s → %s", was.Role, now.Role))
	}
	if !slices.Equal(now.StationIDs, was.StationIDs) {
		parts = append(parts, fmt.Sprintf("stations [%s]", strings.Join(now.StationIDs, ", ")))
	}
	if len(parts) > 0 {
		s.record(ctx, now.CommuneID, campaigns.AuditEntry{Actor: actor.Username, Action: "user.update", Detail: now.Username + ": " + strings.Join(parts, "; ")})
	}
}

// record writes an audit entry into commune's log when an Auditor is set.
func (s *Service) record(ctx context.Context, commune string, e campaigns.AuditEntry) {
	if s.audit == nil {
		return
	}
	s.audit.Record(store.WithScope(ctx, store.Scope{CommuneID: commune}), e)
}
