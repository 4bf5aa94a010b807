package accounts

import (
	"context"
	"crypto/rand"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// ErrPasswordChangeRequired refuses a request of a user whose password an
// admin has reset: until they choose their own, they may only read /me,
// change the password and sign out (SPEC §6.1). It wraps apperr.ErrForbidden.
var ErrPasswordChangeRequired = apperr.Forbidden("your password was reset by an admin: choose a new password first")

// ResetPassword gives the user id of the scope's commune the temporary
// password chosen by the admin actor (CheckPassword applies): every session
// of that user ends, and at the next sign-in they must choose a new one
// (User.MustChangePassword). Their calendar token is left alone: it reads
// the calendar only, and the user may renew it on their account page.
func (s *Service) ResetPassword(ctx context.Context, actor Principal, id, password string) error {
	u, err := s.GetUser(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPassword("password", password, u.Username); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.bcryptCost)
	if err != nil {
		return fmt.Errorf("hashing password: %w", err)
	}
	_, err = s.users.UpdateOne(ctx, bson.M{"_id": u.ID, "commune_id": u.CommuneID},
		bson.M{"$set": bson.M{"password_hash": hash, "must_change_password": true}})
	if err != nil {
		return fmt.Errorf("resetting the password of %s: %w", u.Username, err)
	}
	if _, err := s.tokens.DeleteMany(ctx, bson.M{"user_id": u.ID, "kind": KindSession}); err != nil {
		return fmt.Errorf("ending the sessions of %s: %w", u.Username, err)
	}
	s.record(ctx, u.CommuneID, campaigns.AuditEntry{Actor: actor.Username, Action: "user.password.reset", Detail: u.Username})
	return nil
}

// ChangePassword sets the signed-in user's password to next after checking
// current, and clears MustChangePassword. The user's other sessions end; the
// one p signed in with stays. A wrong current password is a
// *apperr.ValidationError on current_password and counts against the user
// like a failed sign-in (too many give a *RateLimitError); next must pass
// CheckPassword and differ from current (new_password).
func (s *Service) ChangePassword(ctx context.Context, p Principal, current, next string) error {
	u, err := s.self(ctx, p)
	if err != nil {
		return err
	}
	now, key := s.now(), "c:"+u.ID
	if wait := s.limiter.wait(now, key); wait > 0 {
		return &RateLimitError{Wait: wait}
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(current)) != nil {
		s.limiter.fail(now, key)
		return apperr.Invalid("current_password", "is not your current password")
	}
	s.limiter.reset(key)
	if err := CheckPassword("new_password", next, u.Username); err != nil {
		return err
	}
	if next == current {
		return apperr.Invalid("new_password", "must differ from the current password")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.bcryptCost)
	if err != nil {
		return fmt.Errorf("hashing password: %w", err)
	}
	_, err = s.users.UpdateOne(ctx, bson.M{"_id": u.ID},
		bson.M{"$set": bson.M{"password_hash": hash, "must_change_password": false}})
	if err != nil {
		return fmt.Errorf("changing the password of %s: %w", u.Username, err)
	}
	if _, err := s.endOtherSessions(ctx, p); err != nil {
		return err
	}
	s.record(ctx, u.CommuneID, campaigns.AuditEntry{Actor: u.Username, Action: "user.password.change", Detail: u.Username})
	return nil
}

// RevokeOtherSessions signs the user out everywhere but the session p
// came with, and returns how many sessions ended.
func (s *Service) RevokeOtherSessions(ctx context.Context, p Principal) (int64, error) {
	u, err := s.self(ctx, p)
	if err != nil {
		return 0, err
	}
	n, err := s.endOtherSessions(ctx, p)
	if err != nil {
		return 0, err
	}
	s.record(ctx, u.CommuneID, campaigns.AuditEntry{Actor: u.Username, Action: "user.sessions.revoke", Detail: fmt.Sprintf("%s: %d sessions", u.Username, n)})
	return n, nil
}

// OtherSessions counts the user's live sessions besides the one p came with.
func (s *Service) OtherSessions(ctx context.Context, p Principal) (int64, error) {
	n, err := s.tokens.CountDocuments(ctx, bson.M{"user_id": p.UserID, "kind": KindSession,
		"_id": bson.M{"$ne": p.tokenHash}, "expires_at": bson.M{"$gt": s.now().UTC()}})
	if err != nil {
		return 0, fmt.Errorf("counting sessions: %w", err)
	}
	return n, nil
}

func (s *Service) endOtherSessions(ctx context.Context, p Principal) (int64, error) {
	res, err := s.tokens.DeleteMany(ctx, bson.M{"user_id": p.UserID, "kind": KindSession, "_id": bson.M{"$ne": p.tokenHash}})
	if err != nil {
		return 0, fmt.Errorf("ending other sessions: %w", err)
	}
	return res.DeletedCount, nil
}

// self reads the signed-in user p, whatever commune the request acts in.
// A station device has no user: apperr.ErrForbidden.
func (s *Service) self(ctx context.Context, p Principal) (User, error) {
	if p.UserID == "" || p.TokenKind == KindStation {
		return User{}, apperr.Forbidden("only a signed-in person has a password")
	}
	var u User
	err := s.users.FindOne(ctx, bson.M{"_id": p.UserID}).Decode(&u)
	if store.IsNoDocuments(err) {
		return User{}, apperr.ErrUnauthenticated
	}
	if err != nil {
		return User{}, fmt.Errorf("reading user: %w", err)
	}
	return u, nil
}

// TemporaryPassword returns a random password for an admin to hand over in
// person, easy to read out and type on a phone ("k7mp-x3rd-q9tw": 12
// characters of 31, about 59 bits), that passes CheckPassword for username.
func TemporaryPassword(username string) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no i, l, o, 0, 1
	for {
		b := make([]byte, 0, 14)
		var r [1]byte
		for len(b) < 14 {
			if len(b) == 4 || len(b) == 9 {
				b = append(b, '-')
			}
			// crypto/rand never fails (Go ≥ 1.24); bytes past the last
			// whole multiple of the alphabet are dropped: no modulo bias.
			_, _ = rand.Read(r[:])
			if int(r[0]) < 256/len(alphabet)*len(alphabet) {
				b = append(b, alphabet[int(r[0])%len(alphabet)])
			}
		}
		if CheckPassword("password", string(b), username) == nil {
			return string(b)
		}
	}
}
