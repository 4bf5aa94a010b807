// Package deliveriestest builds the world the deliveries live in, for the
// tests of deliveries and of what sits on them (dispatch): a fresh
// database, the campaigns and stations over it, a settable clock shared by
// the replicas, and the deliveries of a first replica, whose ended
// deliveries an OutcomeRecorder keeps.
package deliveriestest

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/store/storetest"
)

// HCM is the commune's time zone.
var HCM, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// Clock is a settable clock shared by the replicas of a test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// Endings is an OutcomeRecorder that keeps what it is told, as the reach
// counters would count it, and refuses a delivery told outside its
// commune's scope.
type Endings struct {
	mu   sync.Mutex
	told []deliveries.Delivery
}

// DeliveriesFinished keeps list.
func (e *Endings) DeliveriesFinished(ctx context.Context, list []deliveries.Delivery) error {
	for _, d := range list {
		if sc, err := store.ScopeFrom(ctx); err != nil || sc.CommuneID != d.CommuneID {
			return fmt.Errorf("told of %s outside its commune's scope (%v)", d.ID, err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.told = append(e.told, list...)
	return nil
}

// States returns what it was told, as "title state" in order.
func (e *Endings) States() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, d := range e.told {
		out = append(out, d.Title+" "+d.State)
	}
	return out
}

// World is one test's world.
type World struct {
	T          testing.TB
	DB         *mongo.Database
	Ctx        context.Context // the commune lien-minh's scope
	Clock      *Clock          // 2026-11-20 09:00 in HCM at start
	Campaigns  *campaigns.Service
	Stations   *stations.Service
	Deliveries *deliveries.Service // replica "a"
	Ended      *Endings
	// ByHand names the channels published by hand (deliveries.Deps.ByHand).
	ByHand []string
	opts   deliveries.Options
}

// New builds a world over a fresh database, with the observance campaigns
// of lien-minh seeded. byHand names the channels a person publishes.
func New(t testing.TB, opts deliveries.Options, byHand ...string) *World {
	t.Helper()
	w := &World{T: t, DB: storetest.DB(t), Clock: &Clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, HCM)},
		Ctx: store.WithScope(context.Background(), store.Scope{CommuneID: "lien-minh"}), Ended: &Endings{}, ByHand: byHand, opts: opts}
	log := slog.New(slog.DiscardHandler)
	w.Stations = stations.NewService(w.DB, nil, w.Clock.Now, log)
	w.Deliveries = w.Replica("a")
	w.Campaigns = campaigns.NewService(campaigns.Deps{DB: w.DB, Stations: w.Stations, Deliveries: w.Deliveries,
		Now: w.Clock.Now, Location: HCM, Log: log})
	if err := w.Campaigns.Seed(w.Ctx, "lien-minh"); err != nil {
		t.Fatal(err)
	}
	return w
}

// Replica is the deliveries of another replica over the same database
// (another process), named owner. It has its own version stamps, as a
// process has, read from the store every time they are asked (no second
// of grace), so its due scans are remembered as the service's are
// (deliveries.Service.DueWithin).
func (w *World) Replica(owner string) *deliveries.Service {
	return w.StampedReplica(owner, stamps.NewMaxAge(w.DB, 0, slog.New(slog.DiscardHandler)))
}

// StampedReplica is Replica with the version stamps st; nil gives none,
// and then every due scan reads the store.
func (w *World) StampedReplica(owner string, st *stamps.Stamps) *deliveries.Service {
	o := w.opts
	o.Owner = owner
	return deliveries.New(deliveries.Deps{DB: w.DB, Audit: campaigns.NewAuditLog(w.DB, w.Clock.Now, slog.New(slog.DiscardHandler)),
		Outcomes: w.Ended, ByHand: w.ByHand, Stamps: st, Now: w.Clock.Now, Location: HCM, Log: slog.New(slog.DiscardHandler)}, o)
}

// The editor and the manager of the tests.
var (
	Editor  = campaigns.Actor{UserID: "u-editor", Username: "editor"}
	Manager = campaigns.Actor{UserID: "u-manager", Username: "manager"}
)

// Approved creates, submits and approves an item (of the commune's
// campaign of November 2026 unless in names one).
func (w *World) Approved(in campaigns.ItemInput) campaigns.Item {
	w.T.Helper()
	camp := "lien-minh-gbv-month-2026"
	if in.CampaignID == nil {
		in.CampaignID = &camp
	}
	it, err := w.Campaigns.CreateItem(w.Ctx, Editor, in)
	if err != nil {
		w.T.Fatal(err)
	}
	if _, err := w.Campaigns.Submit(w.Ctx, Editor, it.ID); err != nil {
		w.T.Fatal(err)
	}
	it, _, err = w.Campaigns.Approve(w.Ctx, Manager, it.ID)
	if err != nil {
		w.T.Fatal(err)
	}
	return it
}

// DueNow approves an item due in a minute and moves the clock there.
func (w *World) DueNow(in campaigns.ItemInput) campaigns.Item {
	w.T.Helper()
	it := w.Approved(in)
	w.Clock.Advance(time.Minute)
	return it
}

// Post is a facebook post due at at.
func Post(title string, at time.Time) campaigns.ItemInput {
	kind, body := campaigns.KindPost, "Nội dung bài đăng về phòng, chống bạo lực trên cơ sở giới."
	ch := []string{"facebook"}
	return campaigns.ItemInput{Kind: &kind, Title: &title, Body: &body, Channels: &ch, Schedule: &campaigns.Schedule{At: &at}}
}

// Title is the title of the i-th post of a test.
func Title(i int) string { return fmt.Sprintf("Bài đăng số %d", i) }

// Of returns the item's deliveries, archived ones included.
func (w *World) Of(itemID string) []deliveries.Delivery {
	w.T.Helper()
	list, err := w.Deliveries.List(w.Ctx, deliveries.Filter{ItemID: itemID, Archived: true})
	if err != nil {
		w.T.Fatal(err)
	}
	return list
}

// One returns the item's one delivery.
func (w *World) One(itemID string) deliveries.Delivery {
	w.T.Helper()
	list := w.Of(itemID)
	if len(list) != 1 {
		w.T.Fatalf("item %s has %d deliveries, want 1", itemID, len(list))
	}
	return list[0]
}

// Count counts the hot deliveries matching filter.
func (w *World) Count(filter bson.M) int64 {
	w.T.Helper()
	n, err := w.DB.Collection("deliveries").CountDocuments(w.Ctx, filter)
	if err != nil {
		w.T.Fatal(err)
	}
	return n
}

// Told returns the deliveries told, in order.
func (e *Endings) Told() []deliveries.Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.told)
}

// LoudspeakerSlot approves a script read at one new station on 23/11 at
// 06:00 and returns its delivery and the station.
func (w *World) LoudspeakerSlot() (deliveries.Delivery, stations.Station) {
	w.T.Helper()
	name, village, hh := "Cụm loa Thôn Đông", "Thôn Đông", 120
	st, err := w.Stations.Create(w.Ctx, stations.Input{Name: &name, Village: &village, Households: &hh})
	if err != nil {
		w.T.Fatal(err)
	}
	kind, title, body := campaigns.KindScript, "Bình đẳng giới", "Nội dung bài phát thanh."
	ch, ids := []string{"loudspeaker"}, []string{st.ID}
	it := w.Approved(campaigns.ItemInput{Kind: &kind, Title: &title, Body: &body, Channels: &ch, StationIDs: &ids,
		Schedule: &campaigns.Schedule{Times: []string{"06:00"}, From: "2026-11-23", To: "2026-11-23"}})
	day, err := w.Deliveries.CommuneDay(w.Ctx, "2026-11-23")
	list := day[st.ID]
	if err != nil || len(day) != 1 || len(list) != 1 || list[0].ItemID != it.ID || list[0].Slot != "06:00" {
		w.T.Fatalf("station day: %+v %v", list, err)
	}
	return list[0], st
}
