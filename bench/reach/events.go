package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
)

// pollMetrics are the statistics a platform reports per post.
var pollMetrics = map[string][]string{
	"facebook": {"impressions", "reach", "engagements", "clicks", "shares"},
	"zalo":     {"views", "reach", "shares"},
	"portal":   {"views"},
}

// seedReach adds, to the airings' events, QR scans, manual entries (copies
// per village for every leaflet, attendance for every event) and platform
// poll deltas for the sent posts, up to wantEvents in all, and stores them
// with BulkRecord.
func (s *seeder) seedReach(ctx context.Context) error {
	var leaflets, events []campaigns.Item
	for _, it := range s.items {
		switch it.Kind {
		case "leaflet":
			leaflets = append(leaflets, it)
		case "event":
			events = append(events, it)
		}
	}
	day := func(it campaigns.Item, plus int) string {
		d := it.Schedule.At.AddDate(0, 0, plus)
		if d.After(benchNow) {
			d = benchNow
		}
		return d.In(s.loc).Format(campaigns.DateLayout)
	}
	for i := range wantScans {
		it := leaflets[i%len(leaflets)]
		s.add(reach.Event{ID: fmt.Sprintf("scan-%06d", i), CampaignID: it.CampaignID, ItemID: it.ID, Channel: "print", Metric: "scans",
			Value: 1, Day: day(it, i%30), Source: reach.SourceScan})
	}
	for i, it := range leaflets {
		for j, v := range villages {
			s.add(reach.Event{ID: fmt.Sprintf("manual-copies-%d-%d", i, j), CampaignID: it.CampaignID, ItemID: it.ID, Channel: "print",
				Metric: "copies", Value: int64(20 + s.rng.IntN(60)), Village: v, Day: day(it, 1), Source: reach.SourceManual, Actor: "editor"})
		}
	}
	for i, it := range events {
		s.add(reach.Event{ID: fmt.Sprintf("manual-attendance-%d", i), CampaignID: it.CampaignID, ItemID: it.ID, Channel: "event",
			Metric: "attendance", Value: int64(40 + s.rng.IntN(160)), Village: villages[i%len(villages)], Day: day(it, 0),
			Source: reach.SourceManual, Actor: "editor"})
	}
	s.addPolls()
	// One call: one update per digest document for all 200,000 events
	// (each further call would update every digest again).
	t := time.Now()
	if err := s.a.Reach.BulkRecord(ctx, commune, s.events); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d events recorded in %s\n", len(s.events), time.Since(t).Round(time.Millisecond))
	return nil
}

func (s *seeder) add(e reach.Event) {
	e.CommuneID = commune
	if e.At.IsZero() {
		t, _ := time.ParseInLocation(campaigns.DateLayout, e.Day, s.loc)
		e.At = t.Add(12 * time.Hour).UTC()
	}
	s.events = append(s.events, e)
}

// addPolls adds the snapshots' deltas of sent posts, round robin over the
// posts and the days after each, until wantEvents.
func (s *seeder) addPolls() {
	var posts []deliveries.Delivery
	for _, d := range append(s.old, s.hot...) {
		if d.State == deliveries.StateSent && pollMetrics[d.Channel] != nil {
			posts = append(posts, d)
		}
	}
	for round := 0; len(s.events) < wantEvents; round++ {
		for _, d := range posts {
			if len(s.events) >= wantEvents {
				return
			}
			m := pollMetrics[d.Channel][round%len(pollMetrics[d.Channel])]
			at := d.SentAt.Add(time.Duration(round/len(pollMetrics[d.Channel])+1) * 24 * time.Hour)
			if at.After(benchNow) {
				continue
			}
			s.add(reach.Event{ID: fmt.Sprintf("poll|%s|%s|%d", d.Channel+"|"+d.ExternalID, m, round), CampaignID: d.CampaignID,
				ItemID: d.ItemID, Channel: d.Channel, Metric: m, Value: int64(5 + s.rng.IntN(120)),
				Day: at.In(s.loc).Format(campaigns.DateLayout), Source: reach.SourcePoll, At: at})
		}
	}
}

// sizes counts the collections the measured requests touch.
func (s *seeder) sizes(ctx context.Context) string {
	var parts []string
	weeks, _ := s.db.ListCollectionNames(ctx, bson.M{"name": bson.M{"$regex": "^reach_weeks_"}})
	for _, c := range append([]string{"campaigns", "items", "stations", "deliveries", "deliveries_archive", "reach_events",
		"reach_campaigns", "reach_years", "reach_outcomes", "reach_outcome_counts"}, weeks...) {
		n, _ := s.db.Collection(c).CountDocuments(ctx, bson.M{})
		parts = append(parts, fmt.Sprintf("%s %d", c, n))
	}
	airings, _ := s.db.Collection("reach_events").CountDocuments(ctx, bson.M{"metric": "airings"})
	return strings.Join(parts, ", ") + fmt.Sprintf(" (airings %d)", airings)
}
