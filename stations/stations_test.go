package stations_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func scope(commune string) context.Context {
	return store.WithScope(context.Background(), store.Scope{CommuneID: commune})
}

func newService(t *testing.T) (*stations.Service, *stamps.Stamps) {
	t.Helper()
	db := storetest.DB(t)
	st := stamps.NewMaxAge(db, 0, slog.New(slog.DiscardHandler)) // no caching: the test reads each bump
	now := func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
	return stations.NewService(db, st, now, slog.New(slog.DiscardHandler)), st
}

// TestStationsStayInTheirCommune: a station of one commune cannot be read,
// listed, updated or counted as present from another.
func TestStationsStayInTheirCommune(t *testing.T) {
	t.Parallel()
	svc, _ := newService(t)
	a, b := scope("lien-minh"), scope("dong-tam")
	mine, err := svc.Create(a, stations.Input{Name: ptr("Cụm loa thôn Đông"), Village: ptr("Thôn Đông"), Households: ptr(120)})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := svc.Create(b, stations.Input{Name: ptr("Cụm loa xóm Chợ"), Village: ptr("Xóm Chợ")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(b, mine.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("another commune read the station: %v", err)
	}
	if _, err := svc.Update(b, mine.ID, stations.Input{Name: ptr("Đổi tên")}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("another commune updated the station: %v", err)
	}
	list, err := svc.List(b, mine.ID, theirs.ID)
	if err != nil || len(list) != 1 || list[0].ID != theirs.ID {
		t.Errorf("listing from the other commune = %v, %v; want only its own station", list, err)
	}
	missing, err := svc.Missing(a, []string{mine.ID, theirs.ID})
	if err != nil || !slices.Equal(missing, []string{theirs.ID}) {
		t.Errorf("Missing = %v, %v; want the other commune's station", missing, err)
	}
	got, err := svc.Get(a, mine.ID)
	if err != nil || got.Name != "Cụm loa thôn Đông" || got.Households != 120 {
		t.Errorf("own station after the other commune's attempts = %+v, %v", got, err)
	}
	if _, err := svc.List(context.Background()); !errors.Is(err, apperr.ErrNoScope) {
		t.Errorf("listing without a scope = %v, want ErrNoScope", err)
	}
}

// TestStationInputIsChecked: bad text is refused naming the field and
// stores nothing; an update bumps the commune's rundown stamp (a station's
// name is part of every rundown).
func TestStationInputIsChecked(t *testing.T) {
	t.Parallel()
	svc, st := newService(t)
	ctx := scope("lien-minh")
	for _, in := range []stations.Input{
		{Village: ptr("Thôn Đông")},
		{Name: ptr("Cụm\x00loa"), Village: ptr("Thôn Đông")},
		{Name: ptr("   "), Village: ptr("Thôn Đông")},
	} {
		var v *apperr.ValidationError
		if _, err := svc.Create(ctx, in); !errors.As(err, &v) || v.Field != "name" {
			t.Errorf("Create(%+v) = %v, want a validation error naming name", in, err)
		}
	}
	if list, _ := svc.List(ctx); len(list) != 0 {
		t.Fatalf("refused input stored %d stations", len(list))
	}
	s, err := svc.Create(ctx, stations.Input{Name: ptr("Cụm loa thôn Tây"), Village: ptr("Thôn Tây")})
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.Version(ctx, stamps.Rundowns("lien-minh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Update(ctx, s.ID, stations.Input{Households: ptr(80)}); err != nil {
		t.Fatal(err)
	}
	if after, err := st.Version(ctx, stamps.Rundowns("lien-minh")); err != nil || after <= before {
		t.Errorf("the rundown stamp went %d → %d (%v) as a station changed", before, after, err)
	}
}
