package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

const (
	commune       = accounts.DefaultCommuneID
	wantAirings   = 50_000
	wantEvents    = 200_000
	wantScans     = 20_000
	itemsPerCamp  = 20
	ownPerYear    = 12
	stationsCount = 30
)

var villages = []string{"Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc", "Xóm Đình", "Xóm Chùa", "Xóm Chợ", "Thôn Thượng",
	"Thôn Hạ", "Thôn Trung", "Xóm Mới", "Xóm Bến", "Thôn An Lạc", "Thôn Phú Xuân", "Thôn Yên Mỹ", "Xóm Giữa", "Xóm Đồng",
	"Thôn Cầu", "Thôn Ngọc", "Xóm Trại"}

// seeder writes five years of one commune: campaigns and stations through
// the domain services, items, deliveries and reach in bulk (InsertMany,
// BulkRecord, RecordOutcomes), never one HTTP call per event.
type seeder struct {
	a           *app.App
	db          *mongo.Database
	loc         *time.Location
	clk         *clock
	rng         *rand.Rand
	campaignIDs []string
	camps       []campaigns.Campaign
	stations    []stations.Station
	items       []campaigns.Item
	hot, old    []deliveries.Delivery
	events      []reach.Event
}

var benchNow = time.Date(2030, 11, 20, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func (s *seeder) seed(ctx context.Context) error {
	ctx = store.WithScope(ctx, store.Scope{CommuneID: commune})
	s.rng = rand.New(rand.NewPCG(7, 25))
	for i, step := range []func(context.Context) error{s.seedStations, s.seedCampaigns, s.seedItems, s.seedDeliveries, s.seedReach} {
		start := time.Now()
		if err := step(ctx); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "seed step %d: %s\n", i+1, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func (s *seeder) seedStations(ctx context.Context) error {
	for i := range stationsCount {
		v := villages[i%len(villages)]
		st, err := s.a.Stations.Create(ctx, stations.Input{Name: ptr(fmt.Sprintf("Cụm loa số %d", i+1)), Village: ptr(v),
			Households: ptr(60 + s.rng.IntN(190))})
		if err != nil {
			return err
		}
		s.stations = append(s.stations, st)
	}
	return nil
}

func (s *seeder) seedCampaigns(ctx context.Context) error {
	targets := map[string]int64{"loudspeaker": 60000, "facebook": 8000, "zalo": 3000, "portal": 1500, "print": 2500, "event": 400}
	for year := 2026; year <= 2030; year++ {
		for _, o := range []string{"dv-month", "gbv-month", "evaw-day"} {
			c, err := s.a.Campaigns.UpdateCampaign(ctx, "bench", fmt.Sprintf("%s-%s-%d", commune, o, year),
				campaigns.CampaignInput{Targets: &targets})
			if err != nil {
				return err
			}
			s.camps = append(s.camps, c)
		}
		for m := 1; m <= ownPerYear; m++ {
			in := campaigns.CampaignInput{Title: ptr(fmt.Sprintf("Truyền thông phòng ngừa bạo lực giới tháng %d/%d", m, year)),
				Start: ptr(fmt.Sprintf("%d-%02d-03", year, m)), End: ptr(fmt.Sprintf("%d-%02d-26", year, m)),
				Channels: ptr([]string{"loudspeaker", "facebook", "zalo", "portal", "print", "event"}), Targets: &targets}
			c, err := s.a.Campaigns.CreateCampaign(ctx, "bench", in)
			if err != nil {
				return err
			}
			s.camps = append(s.camps, c)
		}
	}
	for _, c := range s.camps {
		s.campaignIDs = append(s.campaignIDs, c.ID)
	}
	return nil
}

// itemKinds is a campaign's twenty items.
var itemKinds = []struct {
	kind     string
	channels []string
	n        int
}{{"script", []string{"loudspeaker"}, 8}, {"post", []string{"facebook", "zalo", "portal"}, 6},
	{"leaflet", []string{"print", "facebook"}, 3}, {"event", []string{"event"}, 3}}

func (s *seeder) seedItems(ctx context.Context) error {
	var docs []any
	now := s.clk.now().UTC()
	for _, c := range s.camps {
		for _, k := range itemKinds {
			for j := range k.n {
				it := campaigns.Item{ID: bson.NewObjectID().Hex(), CommuneID: commune, CampaignID: c.ID, Kind: k.kind,
					Title: fmt.Sprintf("%s %d — %s", campaigns.KindScript, j+1, c.Title), Body: strings.Repeat("Nói không với bạo lực gia đình. ", 8),
					Audiences: []string{"residents"}, Channels: k.channels, Status: campaigns.StatusApproved, Version: 1,
					Author: "bench", CreatedAt: now, UpdatedAt: now, StationIDs: []string{}, MediaIDs: []string{}}
				it.Title = fmt.Sprintf("%s %d — %s", reach.KindName(k.kind), j+1, c.Title)
				if k.kind == "script" {
					it.Schedule = campaigns.Schedule{Times: []string{"06:00", "17:30"}, From: c.Start, To: c.End, Weekdays: []int{1, 2, 3, 4, 5}}
					for n := range 3 {
						it.StationIDs = append(it.StationIDs, s.stations[(len(s.items)+n*7)%len(s.stations)].ID)
					}
				} else {
					at := s.day(c.Start).Add(time.Duration(8+j)*time.Hour).AddDate(0, 0, j)
					it.Schedule = campaigns.Schedule{At: &at}
				}
				s.items = append(s.items, it)
				docs = append(docs, it)
			}
		}
	}
	_, err := s.db.Collection("items").InsertMany(ctx, docs)
	return err
}

func (s *seeder) day(d string) time.Time {
	t, _ := time.ParseInLocation(campaigns.DateLayout, d, s.loc)
	return t
}

// seedDeliveries plans every occurrence, makes exactly wantAirings of the
// past loudspeaker ones sent (the rest missed, skipped or cancelled), puts
// what finished more than two days ago into the archive and the rest into
// the hot collection, and records the outcomes the clock would have tallied.
func (s *seeder) seedDeliveries(ctx context.Context) error {
	var slots, others []deliveries.Delivery
	for _, it := range s.items {
		for _, ch := range it.Channels {
			for _, at := range s.occurrences(it) {
				for _, st := range stationsOf(it, ch) {
					d := deliveries.Delivery{ID: deliveries.DeliveryID(it.ID, ch, st, at), CommuneID: commune, ItemID: it.ID, ItemVersion: 1,
						CampaignID: it.CampaignID, Kind: it.Kind, Title: it.Title, Channel: ch, StationID: st, DueAt: at.UTC(),
						Day: at.In(s.loc).Format(campaigns.DateLayout), Slot: at.In(s.loc).Format("15:04"), State: deliveries.StateQueued,
						RunAt: at.UTC(), GraceFrom: at.UTC(), CreatedAt: at.UTC().Add(-14 * 24 * time.Hour)}
					if ch == "loudspeaker" && at.Before(benchNow) {
						slots = append(slots, d)
					} else {
						others = append(others, d)
					}
				}
			}
		}
	}
	if len(slots) < wantAirings {
		return fmt.Errorf("only %d past loudspeaker slots for %d airings", len(slots), wantAirings)
	}
	s.rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	for i := range slots {
		s.finishSlot(&slots[i], i)
	}
	for i := range others {
		s.finishOther(&others[i], i)
	}
	for _, d := range append(slots, others...) {
		if d.FinishedAt != nil && d.FinishedAt.Before(benchNow.Add(-deliveries.ArchiveAfter)) {
			s.old = append(s.old, d)
		} else {
			s.hot = append(s.hot, d)
		}
	}
	if err := insertAll(ctx, s.db.Collection("deliveries_archive"), s.old); err != nil {
		return err
	}
	if err := insertAll(ctx, s.db.Collection("deliveries"), s.hot); err != nil {
		return err
	}
	var outs []reach.DeliveryOutcome
	for _, d := range s.old {
		outs = append(outs, reach.DeliveryOutcome{ID: d.ID, ItemID: d.ItemID, CampaignID: d.CampaignID, Kind: d.Kind, Title: d.Title,
			Channel: d.Channel, StationID: d.StationID, Day: d.Day, State: d.State, Skipped: d.Skipped})
	}
	fmt.Fprintf(os.Stderr, "deliveries: %d archived, %d hot\n", len(s.old), len(s.hot))
	start := time.Now()
	err := s.a.Reach.RecordOutcomes(ctx, outs)
	fmt.Fprintf(os.Stderr, "outcomes recorded in %s\n", time.Since(start).Round(time.Millisecond))
	return err
}

func insertAll(ctx context.Context, c *mongo.Collection, list []deliveries.Delivery) error {
	for start := 0; start < len(list); start += 10000 {
		var docs []any
		for _, d := range list[start:min(start+10000, len(list))] {
			docs = append(docs, d)
		}
		if _, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			return err
		}
	}
	return nil
}

func stationsOf(it campaigns.Item, ch string) []string {
	if ch == "loudspeaker" {
		return it.StationIDs
	}
	return []string{""}
}

func (s *seeder) occurrences(it campaigns.Item) []time.Time {
	if it.Schedule.At != nil {
		return []time.Time{*it.Schedule.At}
	}
	return it.Schedule.Occurrences(s.day(it.Schedule.From), s.day(it.Schedule.To).AddDate(0, 0, 1), s.loc)
}

// finishSlot makes the i-th past slot (shuffled) sent while airings are
// wanted, then missed, skipped or cancelled; its airing logs reach.
func (s *seeder) finishSlot(d *deliveries.Delivery, i int) {
	done := d.DueAt.Add(20 * time.Minute)
	d.FinishedAt, d.UpdatedAt = &done, done
	switch {
	case i < wantAirings:
		d.State, d.SentAt, d.ConfirmedBy, d.ConfirmedAt = deliveries.StateSent, &done, "operator", &done
		s.airingEvents(*d)
	case i%5 < 2:
		d.State, d.LastError = deliveries.StateMissed, "no airing was confirmed on its day"
	case i%5 < 4:
		d.State, d.Skipped, d.SkipReason = deliveries.StateMissed, true, "mất điện"
	default:
		d.State, d.LastError = deliveries.StateCancelled, "the item was edited after approval"
	}
}

// finishOther settles a post, leaflet or event: past ones mostly sent.
func (s *seeder) finishOther(d *deliveries.Delivery, i int) {
	if !d.DueAt.Before(benchNow) {
		return // still queued
	}
	done := d.DueAt.Add(time.Minute)
	d.FinishedAt, d.UpdatedAt, d.Attempts = &done, done, 1
	switch i % 40 {
	case 0:
		d.State, d.LastError = deliveries.StateDead, "permanent: (#200) permissions error"
	case 1:
		d.State, d.LastError = deliveries.StateMissed, "more than its grace window late"
	default:
		d.State, d.SentAt, d.ExternalID = deliveries.StateSent, &done, "ext-"+d.ID
	}
}

func (s *seeder) station(id string) stations.Station {
	for _, st := range s.stations {
		if st.ID == id {
			return st
		}
	}
	return stations.Station{}
}

func (s *seeder) airingEvents(d deliveries.Delivery) {
	st := s.station(d.StationID)
	base := reach.Event{CommuneID: commune, CampaignID: d.CampaignID, ItemID: d.ItemID, Channel: "loudspeaker", Village: st.Village,
		Day: d.Day, Source: reach.SourceAiring, Actor: "operator", At: *d.SentAt}
	a, l := base, base
	a.ID, a.Metric, a.Value = "airing|"+d.ID+"|airings", "airings", 1
	l.ID, l.Metric, l.Value = "airing|"+d.ID+"|listeners", "listeners", int64(st.Households)
	s.events = append(s.events, a, l)
}
