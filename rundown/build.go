package rundown

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

// View is a rundown rendered once for every reader: its JSON and its
// printable text, each with an entity tag and gzipped too (a phone on a
// slow link fetches a quarter of the bytes).
type View struct {
	Rundown  Rundown
	JSON     []byte
	JSONGzip []byte
	JSONETag string
	Text     []byte
	TextGzip []byte
	TextETag string
}

// Get returns the rundown of the station stationID of the caller's commune
// on day (YYYY-MM-DD; empty means today in the commune's time zone), from
// the cache when the commune's rundown stamp has not moved since it was
// built. apperr.ErrNotFound for an unknown station; a *apperr.ValidationError
// for a malformed date. The View is shared: callers must not modify it.
func (s *Service) Get(ctx context.Context, stationID, day string) (*View, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return nil, err
	}
	if day == "" {
		day = s.today()
	} else if _, err := campaigns.ParseDate("date", day); err != nil {
		return nil, err
	}
	if s.d.Stamps == nil {
		return s.build(ctx, stationID, day, func() (map[string][]deliveries.Delivery, error) {
			return s.d.Deliveries.CommuneDay(ctx, day)
		})
	}
	// The stamp is read before the data: see package stamps.
	version, err := s.d.Stamps.Version(ctx, stamps.Rundowns(sc.CommuneID))
	if err != nil {
		return nil, err
	}
	key := sc.CommuneID + "|" + stationID + "|" + day
	// One build serves every request waiting for it: one caller hanging up
	// must not fail the others.
	bctx := context.WithoutCancel(ctx)
	return s.views.Get(key, version, func() (*View, error) {
		// The builds of every station of the day share one read of the
		// day's deliveries at this version: after a stamp bump (an airing
		// confirmed, a script approved), thirty stations pulling at once
		// cost one scan of the deliveries, not thirty.
		return s.build(bctx, stationID, day, func() (map[string][]deliveries.Delivery, error) {
			return s.days.Get(sc.CommuneID+"|"+day, version, func() (map[string][]deliveries.Delivery, error) {
				return s.d.Deliveries.CommuneDay(bctx, day)
			})
		})
	})
}

// build reads the station, its deliveries of the day (from dayDeliveries:
// the commune's, by station) and their scripts, and renders the rundown.
func (s *Service) build(ctx context.Context, stationID, day string, dayDeliveries func() (map[string][]deliveries.Delivery, error)) (*View, error) {
	st, err := s.d.Stations.Get(ctx, stationID)
	if err != nil {
		return nil, err
	}
	byStation, err := dayDeliveries()
	if err != nil {
		return nil, err
	}
	list := byStation[stationID]
	items := map[string]campaigns.Item{}
	for _, d := range list {
		if _, ok := items[d.ItemID]; ok {
			continue
		}
		it, err := s.d.Items.GetItem(ctx, d.ItemID)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return nil, err
		}
		items[d.ItemID] = it // a missing item reads as its delivery's title alone
	}
	r := Rundown{Station: Station{ID: st.ID, Name: st.Name, Village: st.Village, Households: st.Households},
		Date: day, Slots: []Slot{}, ReadWPM: s.d.ReadWPM}
	for _, d := range list {
		sc := s.script(d, items[d.ItemID])
		if n := len(r.Slots); n == 0 || r.Slots[n-1].Time != d.Slot {
			r.Slots = append(r.Slots, Slot{Time: d.Slot, Items: []Script{}})
		}
		slot := &r.Slots[len(r.Slots)-1]
		slot.Items = append(slot.Items, sc)
		slot.ReadSeconds += sc.ReadSeconds
		r.TotalReadSeconds += sc.ReadSeconds
	}
	for i := range r.Slots { // deliveries come by due time; within a slot, by title
		slices.SortStableFunc(r.Slots[i].Items, func(a, b Script) int { return campaigns.CompareVietnamese(a.Title, b.Title) })
	}
	return render(r, s.d.Location)
}

// script is one delivery as a rundown shows it.
func (s *Service) script(d deliveries.Delivery, it campaigns.Item) Script {
	title := it.Title
	if title == "" {
		title = d.Title
	}
	words := Words(it.Body)
	sc := Script{ItemID: d.ItemID, DeliveryID: d.ID, CampaignID: d.CampaignID, Title: title, Body: it.Body,
		Words: words, ReadSeconds: ReadSeconds(words, s.d.ReadWPM), State: d.State, ConfirmedBy: d.ConfirmedBy}
	if au := it.Audio; au != nil && s.d.AudioURL != nil {
		sc.Audio = &Audio{URL: s.d.AudioURL(au.ID), DurationSeconds: au.DurationSeconds, SHA256: au.SHA256}
	}
	switch {
	case d.State == deliveries.StateSent:
		sc.Status, sc.AiredAt = StatusAired, d.SentAt
	case d.Skipped:
		sc.Status, sc.SkipReason = StatusSkipped, d.SkipReason
	case d.State == deliveries.StateMissed:
		sc.Status = StatusMissed
	default:
		sc.Status = StatusPending
	}
	return sc
}

// render encodes the rundown once as JSON and as text.
func render(r Rundown, loc *time.Location) (*View, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encoding rundown: %w", err)
	}
	text := Text(r, loc)
	return &View{Rundown: r, JSON: buf.Bytes(), JSONGzip: gzipped(buf.Bytes()), JSONETag: etag(buf.Bytes()),
		Text: text, TextGzip: gzipped(text), TextETag: etag(text)}, nil
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
