package rundown

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// dayDeliveries is a commune's loudspeaker day: one script at 06:00 on
// each of its stations. It counts the reads and makes each take a while,
// as a scan of the deliveries does.
type dayDeliveries struct {
	Deliveries
	stations int
	reads    atomic.Int32
}

func (f *dayDeliveries) CommuneDay(ctx context.Context, day string) (map[string][]deliveries.Delivery, error) {
	f.reads.Add(1)
	time.Sleep(20 * time.Millisecond)
	out := map[string][]deliveries.Delivery{}
	due, _ := time.Parse(time.RFC3339, day+"T06:00:00+07:00")
	for i := range f.stations {
		id := fmt.Sprintf("st-%02d", i)
		out[id] = []deliveries.Delivery{{ID: "d-" + id, ItemID: "script-1", StationID: id, Slot: "06:00", DueAt: due, State: deliveries.StateQueued}}
	}
	return out, nil
}

type someStations struct{ Stations }

func (someStations) Get(_ context.Context, id string) (stations.Station, error) {
	return stations.Station{ID: id, Name: "Cụm loa " + id, Village: "Thôn Đông", Households: 100}, nil
}

type oneScript struct{ Items }

func (oneScript) GetItem(_ context.Context, id string) (campaigns.Item, error) {
	if id != "script-1" {
		return campaigns.Item{}, apperr.ErrNotFound
	}
	return campaigns.Item{ID: id, Title: "Phòng, chống bạo lực gia đình", Body: "Kính thưa bà con"}, nil
}

// TestStationsOfADayShareOneRead: thirty stations pulling at once after a
// stamp bump cost one read of the day's deliveries, and the next bump one
// more, each station still getting its own rundown.
func TestStationsOfADayShareOneRead(t *testing.T) {
	db := storetest.DB(t)
	st := stamps.New(db, slog.New(slog.DiscardHandler))
	deliveries := &dayDeliveries{stations: 30}
	s := NewService(Deps{Stations: someStations{}, Deliveries: deliveries, Items: oneScript{}, Stamps: st,
		Now: time.Now, Location: time.UTC, Log: slog.New(slog.DiscardHandler)})
	ctx := store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"})

	pullAll := func() {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		for i := range 30 {
			wg.Go(func() {
				id := fmt.Sprintf("st-%02d", i)
				v, err := s.Get(ctx, id, "2026-11-30")
				if err == nil && (v.Rundown.Station.ID != id || len(v.Rundown.Slots) != 1 || v.Rundown.Slots[0].Items[0].DeliveryID != "d-"+id) {
					err = fmt.Errorf("%s got %+v", id, v.Rundown)
				}
				if err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	pullAll()
	if n := deliveries.reads.Load(); n != 1 {
		t.Fatalf("30 stations built their rundowns with %d reads of the day, want 1", n)
	}
	pullAll() // all cached
	if n := deliveries.reads.Load(); n != 1 {
		t.Fatalf("cached rundowns read the day again: %d reads", n)
	}
	st.Bump(ctx, stamps.Rundowns("lien-minh"))
	pullAll()
	if n := deliveries.reads.Load(); n != 2 {
		t.Fatalf("after a bump, %d reads in all, want 2", n)
	}
}
