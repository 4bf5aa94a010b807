package accounts_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// bundle is the accounts service over a test database, wired as app.New
// wires it: the real stations for station checks and the real audit log.
type bundle struct {
	svc      *accounts.Service
	stations *stations.Service
	audit    *campaigns.AuditLog
	ctx      context.Context
	now      time.Time
}

func setup(t *testing.T) *bundle {
	t.Helper()
	b := &bundle{ctx: store.WithScope(context.Background(), store.Scope{CommuneID: accounts.DefaultCommuneID}),
		now: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}
	db, now, log := storetest.DB(t), func() time.Time { return b.now }, slog.New(slog.DiscardHandler)
	b.stations, b.audit = stations.NewService(db, nil, now, log), campaigns.NewAuditLog(db, now, log)
	b.svc = accounts.NewService(accounts.Deps{DB: db, Stations: b.stations, Audit: b.audit, Now: now, Log: log, BcryptCost: bcrypt.MinCost})
	if err := b.svc.EnsureCommune(b.ctx, accounts.DefaultCommuneID, accounts.DefaultCommuneName); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *bundle) user(t *testing.T, name string) {
	t.Helper()
	if _, err := b.svc.CreateUser(b.ctx, accounts.NewUser{Username: name, Password: "tre-xanh-ven-song", Role: accounts.RoleEditor}); err != nil {
		t.Fatal(err)
	}
}

// TestFailuresNeverLockTheAccount: someone failing on purpose from one
// address slows that address down, and the owner signs in from another at
// once (SPEC §6.1).
func TestFailuresNeverLockTheAccount(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.user(t, "lan")
	for range 12 {
		_, _, err := b.svc.Login(b.ctx, "lan", "guess-guess-guess", "203.0.113.9")
		if err != nil && !errors.Is(err, apperr.ErrUnauthenticated) && !errors.Is(err, accounts.ErrRateLimited) {
			t.Fatal(err)
		}
	}
	_, _, err := b.svc.Login(b.ctx, "lan", "tre-xanh-ven-song", "203.0.113.9")
	var rl *accounts.RateLimitError
	if !errors.As(err, &rl) || rl.Wait <= 0 || rl.Wait > 15*time.Minute {
		t.Fatalf("the attacking address was not slowed down: %v", err)
	}
	if _, u, err := b.svc.Login(b.ctx, "lan", "tre-xanh-ven-song", "198.51.100.7"); err != nil || u.Username != "lan" {
		t.Fatalf("the right password from another address was refused: %v", err)
	}
	// The window passes: the address may try again.
	b.now = b.now.Add(16 * time.Minute)
	if _, _, err := b.svc.Login(b.ctx, "lan", "tre-xanh-ven-song", "203.0.113.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestOneAddressSprayingUsernamesIsSlowed: the address's own limit stops a
// spray over many usernames, while a colleague behind another address is
// unaffected.
func TestOneAddressSprayingUsernamesIsSlowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.user(t, "hoa")
	limited := 0
	for i := range 40 {
		_, _, err := b.svc.Login(b.ctx, "user"+string(rune('a'+i%26))+string(rune('a'+i/26)), "x-x-x-x-x-x", "192.0.2.1")
		if errors.Is(err, accounts.ErrRateLimited) {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("40 failures over 40 usernames from one address were never slowed down")
	}
	if _, _, err := b.svc.Login(b.ctx, "hoa", "tre-xanh-ven-song", "192.0.2.2"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestCommonPasswordsAreRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw   string
		ok   bool
		user string
	}{
		{"1234567890", false, ""},
		{"qwertyuiop", false, ""},
		{"password123", false, ""},
		{"Password2026!", false, ""},
		{"dragon2026!!", false, ""},
		{"matkhau12345", false, ""},
		{"anhyeuem2026", false, ""},
		{"aaaaaaaaaaaa", false, ""},
		{"short", false, ""},
		{"nguyenvana2026", false, "nguyenvana"},
		{"tre xanh ven sông", true, ""},
		{"mưa-rào-tháng-sáu", true, ""},
		{"correct horse battery", true, ""},
	} {
		err := accounts.CheckPassword("password", tc.pw, tc.user)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
		var v *apperr.ValidationError
		if err != nil && (!errors.As(err, &v) || v.Field != "password") {
			t.Errorf("CheckPassword(%q): %v does not name the field", tc.pw, err)
		}
	}
}
