package deliveries

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/store"
)

// The archive of five years holds about 60,000 deliveries, and on the
// embedded store any filter but {_id} decodes all of them (about 20 µs a
// document: more than a second). So the archive job also keeps, for each
// commune and month of due dates, two digests that the deliveries page and
// the API read by _id (browse.go), in the small collection
// deliveries_months:
//
//	<commune>|<YYYY-MM>|problems  the month's archived dead and missed deliveries
//	<commune>|<YYYY-MM>|done      the month's archived sent and cancelled ones
//	<commune>|months              the months that have digests
//
// A digest holds its deliveries as one JSON string (delivery id → row: one
// value, where a subdocument of a thousand rows would cost the embedded
// store a decode per field) and the items' titles (item id → title), with
// a version: written as a read and a replace by _id under the digest's
// lock (store.TakeLock), so replicas archiving at once never lose each
// other's rows. A delivery is in the digests exactly while
// it is in the archive: Archive writes the digests after copying and before
// deleting from the hot collection, a retry (unarchive) takes its row out,
// and backfillMonths builds the digests of an archive archived before them,
// once.

// Digest parts.
const (
	partProblems = "problems"
	partDone     = "done"
)

// partOf is the digest part of a finished delivery.
func partOf(state string) string {
	if state == StateDead || state == StateMissed {
		return partProblems
	}
	return partDone
}

// monthDigest is one part of a commune's month of archived deliveries.
type monthDigest struct {
	ID        string    `bson:"_id"`
	CommuneID string    `bson:"commune_id"`
	Month     string    `bson:"month"`
	Part      string    `bson:"part"`
	Version   int       `bson:"version"`
	Rows      string    `bson:"rows"`
	Titles    string    `bson:"titles"`
	UpdatedAt time.Time `bson:"updated_at"`
}

// monthIndex lists the months of a commune that have digests.
type monthIndex struct {
	ID     string   `bson:"_id"`
	Months []string `bson:"months"`
}

func digestID(commune, month, part string) string { return commune + "|" + month + "|" + part }
func monthsID(commune string) string              { return commune + "|months" }

// backfillMarker records that the archive's older deliveries have digests.
const backfillMarker = "backfilled"

// archivedRow is an archived delivery as the digests keep it.
type archivedRow struct {
	Item        string `json:"i"`
	ItemVersion int    `json:"iv,omitempty"`
	Campaign    string `json:"c"`
	Kind        string `json:"k"`
	Channel     string `json:"ch"`
	Station     string `json:"s,omitempty"`
	Due         int64  `json:"d"`
	Day         string `json:"day"`
	Slot        string `json:"sl"`
	State       string `json:"st"`
	Attempts    int    `json:"a,omitempty"`
	Error       string `json:"e,omitempty"`
	Class       string `json:"ec,omitempty"`
	ExternalID  string `json:"x,omitempty"`
	URL         string `json:"u,omitempty"`
	Sent        int64  `json:"sa,omitempty"`
	Finished    int64  `json:"f,omitempty"`
	ConfirmedBy string `json:"cb,omitempty"`
	Skipped     bool   `json:"sk,omitempty"`
	SkipReason  string `json:"sr,omitempty"`
}

// maxRowError bounds the error text a digest keeps of a delivery (the full
// text stays in the archive document).
const maxRowError = 500

func rowOf(d Delivery) archivedRow {
	r := archivedRow{Item: d.ItemID, ItemVersion: d.ItemVersion, Campaign: d.CampaignID, Kind: d.Kind, Channel: d.Channel,
		Station: d.StationID, Due: d.DueAt.Unix(), Day: d.Day, Slot: d.Slot, State: d.State, Attempts: d.Attempts,
		Error: clip(d.LastError, maxRowError), Class: d.ErrorClass, ExternalID: d.ExternalID, URL: d.URL, ConfirmedBy: d.ConfirmedBy,
		Skipped: d.Skipped, SkipReason: d.SkipReason}
	if d.SentAt != nil {
		r.Sent = d.SentAt.Unix()
	}
	if d.FinishedAt != nil {
		r.Finished = d.FinishedAt.Unix()
	}
	return r
}

func (r archivedRow) delivery(id, commune, title string) Delivery {
	d := Delivery{ID: id, CommuneID: commune, ItemID: r.Item, ItemVersion: r.ItemVersion, CampaignID: r.Campaign, Kind: r.Kind,
		Title: title, Channel: r.Channel, StationID: r.Station, DueAt: time.Unix(r.Due, 0).UTC(), Day: r.Day, Slot: r.Slot,
		State: r.State, Attempts: r.Attempts, LastError: r.Error, ErrorClass: r.Class, ExternalID: r.ExternalID, URL: r.URL,
		ConfirmedBy: r.ConfirmedBy, Skipped: r.Skipped, SkipReason: r.SkipReason}
	d.RunAt = d.DueAt
	if r.Sent != 0 {
		t := time.Unix(r.Sent, 0).UTC()
		d.SentAt = &t
	}
	if r.Finished != 0 {
		t := time.Unix(r.Finished, 0).UTC()
		d.FinishedAt = &t
	}
	return d
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		n--
	}
	return s[:n] + "…"
}

// indexArchived adds finished deliveries to their months' digests (or
// takes them out, with remove), grouped by commune, month and part.
func (s *Service) indexArchived(ctx context.Context, list []Delivery, remove bool) error {
	groups := map[string][]Delivery{}
	for _, d := range list {
		if len(d.Day) < 7 || d.CommuneID == "" {
			continue // a malformed delivery cannot be filed; the archive still has it
		}
		key := digestID(d.CommuneID, d.Day[:7], partOf(d.State))
		groups[key] = append(groups[key], d)
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		if err := s.writeDigest(ctx, g[0].CommuneID, g[0].Day[:7], partOf(g[0].State), g, remove); err != nil {
			return err
		}
	}
	return nil
}

// writeDigest sets (or removes) the rows of list in one digest, under the
// digest's lock (store.TakeLock: replicas archiving at once take turns), and
// replaces it by _id alone: a filter with its version would decode every
// digest on the embedded store.
func (s *Service) writeDigest(ctx context.Context, commune, month, part string, list []Delivery, remove bool) error {
	s.digestMu.Lock()
	defer s.digestMu.Unlock()
	if !remove {
		_, err := s.months.UpdateOne(ctx, bson.M{"_id": monthsID(commune)}, bson.M{"$addToSet": bson.M{"months": month}},
			options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("listing the month of archived deliveries: %w", err)
		}
	}
	id := digestID(commune, month, part)
	release, err := store.TakeLock(ctx, s.db, "deliveries-months|"+id, s.now)
	if err != nil {
		return fmt.Errorf("archived deliveries of %s: %w", month, err)
	}
	defer release()
	have, err := s.readDigest(ctx, id)
	if err != nil {
		return err
	}
	rows, titles, err := have.decode()
	if err != nil {
		return err
	}
	changed := false
	for _, d := range list {
		_, had := rows[d.ID]
		switch {
		case remove && had:
			delete(rows, d.ID)
			changed = true
		case !remove && (rows[d.ID] != rowOf(d) || titles[d.ItemID] != d.Title):
			rows[d.ID], titles[d.ItemID] = rowOf(d), d.Title
			changed = true
		}
	}
	if !changed {
		return nil
	}
	next := monthDigest{ID: id, CommuneID: commune, Month: month, Part: part, Version: have.Version + 1,
		Rows: mustJSON(rows), Titles: mustJSON(titles), UpdatedAt: s.now().UTC()}
	if _, err := s.months.ReplaceOne(ctx, bson.M{"_id": id}, next, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("storing archived deliveries of %s: %w", month, err)
	}
	return nil
}

// readDigest reads one digest by its id (which names its commune); a
// missing one is empty, at version 0.
func (s *Service) readDigest(ctx context.Context, id string) (monthDigest, error) {
	var m monthDigest
	err := s.months.FindOne(ctx, bson.M{"_id": id}).Decode(&m)
	if err != nil && !store.IsNoDocuments(err) {
		return m, fmt.Errorf("reading archived deliveries (%s): %w", id, err)
	}
	return m, nil
}

func (m monthDigest) decode() (map[string]archivedRow, map[string]string, error) {
	rows, titles := map[string]archivedRow{}, map[string]string{}
	if m.Rows != "" {
		if err := json.Unmarshal([]byte(m.Rows), &rows); err != nil {
			return nil, nil, fmt.Errorf("decoding archived deliveries of %s: %w", m.Month, err)
		}
	}
	if m.Titles != "" {
		if err := json.Unmarshal([]byte(m.Titles), &titles); err != nil {
			return nil, nil, fmt.Errorf("decoding archived deliveries of %s: %w", m.Month, err)
		}
	}
	return rows, titles, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v) // maps of plain values always marshal
	return string(b)
}

// backfillMonths builds the digests of deliveries archived before digests
// existed: once per database (a marker records it), one scan of the whole
// archive. Until it has run, older archived deliveries are missing from
// the deliveries page; the archive job runs it first.
func (s *Service) backfillMonths(ctx context.Context) error {
	if s.backfilled.Load() {
		return nil
	}
	err := s.months.FindOne(ctx, bson.M{"_id": backfillMarker}).Err()
	if err == nil {
		s.backfilled.Store(true)
		return nil
	}
	if !store.IsNoDocuments(err) {
		return fmt.Errorf("reading the archive digests' marker: %w", err)
	}
	cur, err := s.archive.Find(ctx, bson.M{})
	if err != nil {
		return fmt.Errorf("reading the archive: %w", err)
	}
	var list []Delivery
	if err := cur.All(ctx, &list); err != nil {
		return fmt.Errorf("reading the archive: %w", err)
	}
	if err := s.indexArchived(ctx, list, false); err != nil {
		return err
	}
	if _, err := s.months.InsertOne(ctx, bson.M{"_id": backfillMarker, "at": s.now().UTC(), "deliveries": len(list)}); err != nil &&
		!store.IsDuplicateKey(err) {
		return fmt.Errorf("marking the archive digests built: %w", err)
	}
	s.backfilled.Store(true)
	return nil
}
