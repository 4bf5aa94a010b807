package accounts_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
)

// TestResetPasswordForcesChange: the admin's temporary password ends the
// user's sessions; signed in with it, the user must change it, and changing
// it ends their other sessions and keeps this one.
func TestResetPasswordForcesChange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := accounts.Principal{UserID: "a", Username: "admin"}
	u := b.make(t, b.ctx, "bien-tap", accounts.RoleEditor)
	old, p := b.signIn(t, "bien-tap", pw)
	cal, err := b.svc.CalendarToken(b.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	invalid(t, b.svc.ResetPassword(b.ctx, admin, u.ID, "123456789"), "password")
	invalid(t, b.svc.ResetPassword(b.ctx, admin, u.ID, "bien-tap-2026"), "password") // holds the username
	if err := b.svc.ResetPassword(b.ctx, admin, "nope", "mua-ram-thang-gieng"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	temp := accounts.TemporaryPassword("bien-tap")
	if err := b.svc.ResetPassword(b.ctx, admin, u.ID, temp); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Authenticate(b.ctx, old, accounts.KindSession); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Errorf("the session before the reset: %v", err)
	}
	if _, err := b.svc.Authenticate(b.ctx, cal, accounts.KindCalendar); err != nil {
		t.Errorf("the calendar token after a reset: %v", err)
	}
	if _, _, err := b.svc.Login(b.ctx, "bien-tap", pw, "198.51.100.9"); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Errorf("the old password: %v", err)
	}
	laptop, _ := b.signIn(t, "bien-tap", temp)
	phone, p := b.signIn(t, "bien-tap", temp)
	if !p.MustChangePassword {
		t.Fatal("signed in with a temporary password, MustChangePassword is false")
	}
	invalid(t, b.svc.ChangePassword(b.ctx, p, "sai-mat-khau-roi", "song-nuoc-que-huong"), "current_password")
	invalid(t, b.svc.ChangePassword(b.ctx, p, temp, temp), "new_password")
	invalid(t, b.svc.ChangePassword(b.ctx, p, temp, "password123"), "new_password")
	if err := b.svc.ChangePassword(b.ctx, p, temp, "song-nuoc-que-huong"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Authenticate(b.ctx, laptop, accounts.KindSession); !errors.Is(err, apperr.ErrUnauthenticated) {
		t.Errorf("the other session after the change: %v", err)
	}
	if p, err := b.svc.Authenticate(b.ctx, phone, accounts.KindSession); err != nil || p.MustChangePassword {
		t.Errorf("this session after the change: %+v %v", p, err)
	}
	b.signIn(t, "bien-tap", "song-nuoc-que-huong")
	if got := b.actions(t, b.ctx); got != "user.create,user.password.reset,user.password.change" {
		t.Errorf("audit %s", got)
	}
}

// TestWrongCurrentPasswordIsSlowed: a stolen session cannot guess the
// current password quickly.
func TestWrongCurrentPasswordIsSlowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.make(t, b.ctx, "bien-tap", accounts.RoleEditor)
	_, p := b.signIn(t, "bien-tap", pw)
	for range 5 {
		invalid(t, b.svc.ChangePassword(b.ctx, p, "doan-mo-mat-khau", "song-nuoc-que-huong"), "current_password")
	}
	if err := b.svc.ChangePassword(b.ctx, p, pw, "song-nuoc-que-huong"); !errors.Is(err, accounts.ErrRateLimited) {
		t.Errorf("the sixth try: %v", err)
	}
}

// TestRevokeOtherSessions: signing out everywhere else keeps this session.
func TestRevokeOtherSessions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.make(t, b.ctx, "bien-tap", accounts.RoleEditor)
	a, _ := b.signIn(t, "bien-tap", pw)
	c, _ := b.signIn(t, "bien-tap", pw)
	here, p := b.signIn(t, "bien-tap", pw)
	if n, err := b.svc.OtherSessions(b.ctx, p); err != nil || n != 2 {
		t.Errorf("other sessions %d %v", n, err)
	}
	if n, err := b.svc.RevokeOtherSessions(b.ctx, p); err != nil || n != 2 {
		t.Fatalf("revoked %d: %v", n, err)
	}
	for _, tok := range []string{a, c} {
		if _, err := b.svc.Authenticate(b.ctx, tok, accounts.KindSession); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("another session: %v", err)
		}
	}
	if _, err := b.svc.Authenticate(b.ctx, here, accounts.KindSession); err != nil {
		t.Errorf("this session: %v", err)
	}
	if _, err := b.svc.RevokeOtherSessions(b.ctx, accounts.Principal{TokenKind: accounts.KindStation}); !errors.Is(err, apperr.ErrForbidden) {
		t.Errorf("a station device: %v", err)
	}
}

func TestTemporaryPassword(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$`)
	seen := map[string]bool{}
	for range 200 {
		p := accounts.TemporaryPassword("abcd")
		if !shape.MatchString(p) || strings.Contains(p, "abcd") || accounts.CheckPassword("password", p, "abcd") != nil || seen[p] {
			t.Fatalf("temporary password %q", p)
		}
		seen[p] = true
	}
}
