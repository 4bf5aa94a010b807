package accounts_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

const pw = "tre-xanh-ven-song"

// make creates a user of role in ctx's commune (stations for operators).
func (b *bundle) make(t *testing.T, ctx context.Context, name string, role accounts.Role, stationIDs ...string) accounts.User {
	t.Helper()
	u, err := b.svc.CreateUser(ctx, accounts.NewUser{Username: name, Password: pw, Role: role, StationIDs: stationIDs, CreatedBy: "admin"})
	if err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return u
}

func (b *bundle) station(t *testing.T, ctx context.Context, name string) stations.Station {
	t.Helper()
	village := "Thôn Đông"
	st, err := b.stations.Create(ctx, stations.Input{Name: &name, Village: &village})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (b *bundle) signIn(t *testing.T, name, password string) (string, accounts.Principal) {
	t.Helper()
	tok, _, err := b.svc.Login(b.ctx, name, password, "198.51.100.1")
	if err != nil {
		t.Fatalf("signing in %s: %v", name, err)
	}
	p, err := b.svc.Authenticate(b.ctx, tok, accounts.KindSession)
	if err != nil {
		t.Fatal(err)
	}
	return tok, p
}

// actions lists the audit log's actions of ctx's commune, oldest first.
func (b *bundle) actions(t *testing.T, ctx context.Context) string {
	t.Helper()
	list, err := b.audit.List(ctx, "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range slices.Backward(list) {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}

func invalid(t *testing.T, err error, field string) {
	t.Helper()
	var v *apperr.ValidationError
	if !errors.As(err, &v) || v.Field != field {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
}

func ptr[T any](v T) *T { return &v }

func otherCommune(t *testing.T, b *bundle) context.Context {
	t.Helper()
	if _, err := b.svc.CreateCommune(b.ctx, "gia-vien", "Xã Gia Viễn"); err != nil {
		t.Fatal(err)
	}
	return store.WithScope(context.Background(), store.Scope{CommuneID: "gia-vien"})
}

// TestUpdateUserGivesAnOperatorStations: an operator made without a station
// is given one; only stations of their commune, only for operators, and a
// user who stops being an operator loses them.
func TestUpdateUserGivesAnOperatorStations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := accounts.Principal{UserID: "a", Username: "admin"}
	st := b.station(t, b.ctx, "Cụm loa số 1")
	foreign := b.station(t, otherCommune(t, b), "Cụm loa Gia Viễn")
	op := b.make(t, b.ctx, "van-hanh", accounts.RoleOperator)
	if len(op.StationIDs) != 0 || op.StationIDs == nil {
		t.Fatalf("new operator's stations %#v", op.StationIDs)
	}
	_, err := b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{StationIDs: &[]string{st.ID, "nope"}})
	invalid(t, err, "station_ids")
	_, err = b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{StationIDs: &[]string{foreign.ID}})
	invalid(t, err, "station_ids")
	got, err := b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{StationIDs: &[]string{st.ID, st.ID},
		DisplayName: ptr("Le\u0302 Va\u0306n Tua\u0302\u0301n")}) // decomposed: stored as NFC
	if err != nil {
		t.Fatal(err)
	}
	stored, err := b.svc.GetUser(b.ctx, op.ID)
	if err != nil || !slices.Equal(stored.StationIDs, []string{st.ID}) || stored.DisplayName != "Lê Văn Tuấn" || got.DisplayName != stored.DisplayName {
		t.Fatalf("stored %+v %v", stored, err)
	}
	_, err = b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{DisplayName: ptr("Lê\x00")})
	invalid(t, err, "display_name")
	_, err = b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{Role: ptr(accounts.Role("pilot"))})
	invalid(t, err, "role")

	ed := b.make(t, b.ctx, "bien-tap", accounts.RoleEditor)
	_, err = b.svc.UpdateUser(b.ctx, admin, ed.ID, accounts.UserChange{StationIDs: &[]string{st.ID}})
	invalid(t, err, "station_ids")
	_, err = b.svc.CreateUser(b.ctx, accounts.NewUser{Username: "quan-ly", Password: pw, Role: accounts.RoleManager, StationIDs: []string{st.ID}})
	invalid(t, err, "station_ids")
	// An editor made an operator in the same change gets the station.
	got, err = b.svc.UpdateUser(b.ctx, admin, ed.ID, accounts.UserChange{Role: ptr(accounts.RoleOperator), StationIDs: &[]string{st.ID}})
	if err != nil || got.Role != accounts.RoleOperator || !slices.Equal(got.StationIDs, []string{st.ID}) {
		t.Fatalf("editor made operator: %+v %v", got, err)
	}
	got, err = b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{Role: ptr(accounts.RoleManager)})
	if err != nil || len(got.StationIDs) != 0 {
		t.Fatalf("operator made manager keeps %v: %v", got.StationIDs, err)
	}
	if _, p := b.signIn(t, "van-hanh", pw); p.Role != accounts.RoleManager || len(p.StationIDs) != 0 {
		t.Errorf("signed in as %+v", p)
	}
	if got := b.actions(t, b.ctx); got != "user.create,user.update,user.create,user.update,user.update" {
		t.Errorf("audit %s", got)
	}
}

// TestDisablingEndsSessionsAtOnce: a disabled user's sessions and calendar
// token stop at their next request, they cannot sign in (the answer of a
// wrong password), and a station's device token is not theirs to lose.
func TestDisablingEndsSessionsAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := accounts.Principal{UserID: "a", Username: "admin"}
	st := b.station(t, b.ctx, "Cụm loa số 1")
	op := b.make(t, b.ctx, "van-hanh", accounts.RoleOperator, st.ID)
	phone, p := b.signIn(t, "van-hanh", pw)
	desk, _ := b.signIn(t, "van-hanh", pw)
	cal, err := b.svc.CalendarToken(b.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	device, _, err := b.svc.IssueStationToken(b.ctx, "admin", st.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{Disabled: ptr(true)})
	if err != nil || !got.Disabled {
		t.Fatalf("disabling: %+v %v", got, err)
	}
	for _, tok := range []string{phone, desk, cal} {
		if _, err := b.svc.Authenticate(b.ctx, tok, accounts.KindSession, accounts.KindCalendar); !errors.Is(err, apperr.ErrUnauthenticated) {
			t.Errorf("a token of the disabled user: %v", err)
		}
	}
	if _, err := b.svc.Authenticate(b.ctx, device, accounts.KindStation); err != nil {
		t.Errorf("the station's device token: %v", err)
	}
	_, _, right := b.svc.Login(b.ctx, "van-hanh", pw, "198.51.100.2")
	_, _, wrong := b.svc.Login(b.ctx, "van-hanh", "sai-mat-khau-roi", "198.51.100.3")
	if !errors.Is(right, apperr.ErrUnauthenticated) || right.Error() != wrong.Error() {
		t.Errorf("a disabled user signing in: %v; a wrong password: %v", right, wrong)
	}
	if _, err := b.svc.UpdateUser(b.ctx, admin, op.ID, accounts.UserChange{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	b.signIn(t, "van-hanh", pw)
	if got := b.actions(t, b.ctx); got != "user.create,station.token.issue,user.disable,user.enable" {
		t.Errorf("audit %s", got)
	}
}

// TestLastEnabledAdmin: the installation keeps an enabled admin whatever
// the communes, and an admin cannot disable themselves.
func TestLastEnabledAdmin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gv := otherCommune(t, b)
	a1 := b.make(t, b.ctx, "quan-tri-1", accounts.RoleAdmin)
	p1 := accounts.Principal{UserID: a1.ID, Username: a1.Username, Role: accounts.RoleAdmin}
	if _, err := b.svc.UpdateUser(b.ctx, p1, a1.ID, accounts.UserChange{Disabled: ptr(true)}); !errors.Is(err, accounts.ErrOwnAccount) {
		t.Errorf("disabling oneself: %v", err)
	}
	if _, err := b.svc.UpdateUser(b.ctx, p1, a1.ID, accounts.UserChange{Role: ptr(accounts.RoleEditor)}); !errors.Is(err, accounts.ErrLastAdmin) || !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("demoting the last admin: %v", err)
	}
	a2 := b.make(t, gv, "quan-tri-2", accounts.RoleAdmin)
	if _, err := b.svc.UpdateUser(gv, p1, a2.ID, accounts.UserChange{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	// A disabled admin is not one that can manage anything.
	if _, err := b.svc.UpdateUser(b.ctx, p1, a1.ID, accounts.UserChange{Role: ptr(accounts.RoleManager)}); !errors.Is(err, accounts.ErrLastAdmin) {
		t.Errorf("demoting the last enabled admin: %v", err)
	}
	if u, _ := b.svc.GetUser(b.ctx, a1.ID); u.Role != accounts.RoleAdmin {
		t.Fatalf("the refused change was written: %+v", u)
	}
	if _, err := b.svc.UpdateUser(gv, p1, a2.ID, accounts.UserChange{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	p2 := accounts.Principal{UserID: a2.ID, Username: a2.Username, Role: accounts.RoleAdmin}
	if _, err := b.svc.UpdateUser(b.ctx, p2, a1.ID, accounts.UserChange{Role: ptr(accounts.RoleEditor)}); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if _, err := b.svc.UpdateUser(gv, p2, a2.ID, accounts.UserChange{Role: ptr(accounts.RoleEditor)}); !errors.Is(err, accounts.ErrLastAdmin) {
		t.Errorf("demoting the other: %v", err)
	}
}

// TestOneCommuneCannotReachAnothersUsers: in one commune's scope the users
// and station tokens of another are not found, whatever the call.
func TestOneCommuneCannotReachAnothersUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gv := otherCommune(t, b)
	admin := accounts.Principal{UserID: "a", Username: "admin"}
	theirs := b.make(t, gv, "gv-bien-tap", accounts.RoleEditor)
	st := b.station(t, gv, "Cụm loa Gia Viễn")
	_, tok, err := b.svc.IssueStationToken(gv, "admin", st.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.make(t, b.ctx, "lm-bien-tap", accounts.RoleEditor)
	if _, err := b.svc.GetUser(b.ctx, theirs.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("get: %v", err)
	}
	if _, err := b.svc.UpdateUser(b.ctx, admin, theirs.ID, accounts.UserChange{Disabled: ptr(true)}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("update: %v", err)
	}
	if err := b.svc.ResetPassword(b.ctx, admin, theirs.ID, "mua-ram-thang-gieng"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("reset: %v", err)
	}
	if _, _, err := b.svc.IssueStationToken(b.ctx, "admin", st.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("issue a token for their station: %v", err)
	}
	if _, err := b.svc.ListStationTokens(b.ctx, st.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("list their station's tokens: %v", err)
	}
	if err := b.svc.RevokeStationToken(b.ctx, "admin", st.ID, tok.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("revoke their token: %v", err)
	}
	list, err := b.svc.ListUsers(b.ctx)
	if err != nil || len(list) != 1 || list[0].Username != "lm-bien-tap" {
		t.Errorf("list: %+v %v", list, err)
	}
	if u, err := b.svc.GetUser(gv, theirs.ID); err != nil || u.Disabled {
		t.Errorf("their user after it all: %+v %v", u, err)
	}
	if got := b.actions(t, b.ctx); got != "user.create" {
		t.Errorf("this commune's audit %s", got)
	}
	if got := b.actions(t, gv); got != "user.create,station.token.issue" {
		t.Errorf("their audit %s", got)
	}
}

// TestSignInIsNoted: each sign-in sets last_sign_in_at.
func TestSignInIsNoted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	u := b.make(t, b.ctx, "bien-tap", accounts.RoleEditor)
	if u.LastSignInAt != nil {
		t.Fatalf("a new user signed in at %v", u.LastSignInAt)
	}
	b.signIn(t, "bien-tap", pw)
	got, err := b.svc.GetUser(b.ctx, u.ID)
	if err != nil || got.LastSignInAt == nil || !got.LastSignInAt.Equal(b.now) {
		t.Errorf("after signing in: %v %v", got.LastSignInAt, err)
	}
}
