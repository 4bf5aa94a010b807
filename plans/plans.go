// Package plans reads and writes a campaign's plan as a spreadsheet (SPEC
// §6.4): the template, the import of an XLSX or CSV plan (checked cell by
// cell, created as drafts all or nothing through campaigns.ImportPlan) and
// the export of a campaign's items in the template's columns, which imports
// back into an empty campaign as the same items.
package plans

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lantoa/lantoa/campaigns"
)

// Campaigns is what plans need from the campaigns domain;
// campaigns.Service implements it.
type Campaigns interface {
	GetCampaign(ctx context.Context, id string) (campaigns.Campaign, error)
	CheckPlan(ctx context.Context, campaignID string, rows []campaigns.PlanRow) (campaigns.PlanResult, error)
	ImportPlan(ctx context.Context, a campaigns.Actor, campaignID string, rows []campaigns.PlanRow) (campaigns.PlanResult, error)
	CampaignItems(ctx context.Context, campaignID string) ([]campaigns.Item, error)
}

// Service reads and writes plans.
type Service struct {
	campaigns Campaigns
	stations  Stations
	now       func() time.Time
	loc       *time.Location
}

// New returns the plans service. loc is the commune's time zone, the one
// campaigns uses.
func New(c Campaigns, st Stations, now func() time.Time, loc *time.Location) *Service {
	return &Service{campaigns: c, stations: st, now: now, loc: loc}
}

// Report is what a check or an import found: the number of data rows, the
// items the valid rows make (in file order), every error, and how many
// items were (on a check: would be) created and how many rows were already
// in the campaign. Cells holds each data row's cells by column header, for
// a page that shows the file with its bad cells marked (date and time
// cells as the spreadsheet shows them: 25/11/2026, 06:30).
type Report struct {
	Rows    int         `json:"rows"`
	Items   []ItemRow   `json:"items"`
	Errors  []CellError `json:"errors"`
	Created int         `json:"created"`
	Skipped int         `json:"skipped"`
	Cells   []RowCells  `json:"-"`
}

// ItemRow is an item a row makes. ID is set once it is stored; Existing
// means the row was already imported (or the campaign has the same item),
// so nothing is created for it.
type ItemRow struct {
	Row         int      `json:"row"`
	Title       string   `json:"title"`
	Kind        string   `json:"kind"`
	Channels    []string `json:"channels"`
	Occurrences int      `json:"occurrences"`
	Existing    bool     `json:"existing"`
	ID          string   `json:"id,omitempty"`
	// Schedule is when the item goes out, for a page that shows how the
	// row was read.
	Schedule campaigns.Schedule `json:"-"`
}

// RowCells is a data row as read, by the Vietnamese column header.
type RowCells struct {
	Row   int               `json:"row"`
	Cells map[string]string `json:"cells"`
}

// Check is the dry run of Import: it reads the file and checks every row
// against the campaign as Import would, and stores nothing. lang is "en"
// for English messages, else Vietnamese. The error is for what is not the
// file's fault (apperr.ErrNotFound for a campaign not the caller's, the
// store); everything wrong in the file is in Report.Errors.
func (s *Service) Check(ctx context.Context, campaignID string, file []byte, lang string) (Report, error) {
	st, err := s.read(ctx, campaignID, file)
	if err != nil {
		return Report{}, err
	}
	if err := st.checkRest(ctx, s.campaigns, campaignID); err != nil {
		return Report{}, err
	}
	return st.report(lang), nil
}

// Import reads the file and, when it has no error at all, creates every
// row as a draft item by the actor, skipping rows already imported; with
// any error it creates nothing and returns the same Report as Check (the
// API answers 422 when Report.Errors is not empty).
func (s *Service) Import(ctx context.Context, a campaigns.Actor, campaignID string, file []byte, lang string) (Report, error) {
	st, err := s.read(ctx, campaignID, file)
	if err != nil {
		return Report{}, err
	}
	if len(st.probs) > 0 {
		if err := st.checkRest(ctx, s.campaigns, campaignID); err != nil {
			return Report{}, err
		}
		return st.report(lang), nil
	}
	res, err := s.campaigns.ImportPlan(ctx, a, campaignID, st.planRows())
	var rejected *campaigns.PlanRejectedError
	if errors.As(err, &rejected) {
		st.merge(res)
		return st.report(lang), nil
	}
	if err != nil {
		return Report{}, err
	}
	st.merge(res)
	st.stored = true
	return st.report(lang), nil
}

// state is a file on its way to a report.
type state struct {
	rows   int
	cells  []RowCells
	probs  []problem
	good   []planned
	result campaigns.PlanResult
	stored bool
}

// read reads the file and every row against the campaign.
func (s *Service) read(ctx context.Context, campaignID string, file []byte) (*state, error) {
	camp, err := s.campaigns.GetCampaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	list, err := s.stations.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing stations: %w", err)
	}
	st := &state{}
	sheets, f := readFile(file)
	if f != nil {
		st.probs = append(st.probs, problem{0, noCol, f.m, f.args})
		return st, nil
	}
	g, h, probs, f := findTable(sheets)
	if f != nil {
		st.probs = append(st.probs, problem{0, noCol, f.m, f.args})
		return st, nil
	}
	st.probs = probs
	recs := records(g, h)
	st.rows = len(recs)
	switch {
	case len(recs) > MaxRows:
		st.probs = append(st.probs, problem{0, noCol, mTooMany, []any{nMaxRows}})
		return st, nil
	case len(recs) == 0:
		st.probs = append(st.probs, problem{g.rows[h.row].num, noCol, mNoRows, nil})
		return st, nil
	}
	x := newSheetCtx(camp, s.now(), s.loc, newStationIndex(list))
	x.date1904 = g.date1904
	for _, rec := range recs {
		st.cells = append(st.cells, rowCells(rec, g.date1904))
		if len(probs) > 0 {
			continue // the columns are wrong: the rows cannot be read
		}
		p, rp := x.read(rec)
		if len(rp) > 0 {
			st.probs = append(st.probs, rp...)
			continue
		}
		st.good = append(st.good, p)
	}
	return st, nil
}

func rowCells(rec record, date1904 bool) RowCells {
	m := make(map[string]string, numCols)
	for c := range numCols {
		if rec.cells[c] != "" {
			m[columns[c].vi] = shownCell(c, rec.cells[c], date1904)
		}
	}
	return RowCells{Row: rec.row, Cells: m}
}

func (st *state) planRows() []campaigns.PlanRow {
	out := make([]campaigns.PlanRow, len(st.good))
	for i, p := range st.good {
		out[i] = campaigns.PlanRow{Row: p.row, Input: p.in}
	}
	return out
}

// checkRest checks the rows read without problems against the campaign,
// so that a report lists every error at once.
func (st *state) checkRest(ctx context.Context, c Campaigns, campaignID string) error {
	if len(st.good) == 0 {
		return nil
	}
	res, err := c.CheckPlan(ctx, campaignID, st.planRows())
	if err != nil {
		return err
	}
	st.merge(res)
	return nil
}

// merge adds the campaign's verdict on the rows.
func (st *state) merge(res campaigns.PlanResult) {
	st.result = res
	for _, e := range res.Errors {
		st.probs = append(st.probs, campaignProblem(e))
	}
}

func (st *state) report(lang string) Report {
	r := Report{Rows: st.rows, Items: []ItemRow{}, Errors: []CellError{}, Cells: st.cells}
	occ := make(map[int]int, len(st.good))
	for _, p := range st.good {
		occ[p.row] = p.occurrences
	}
	for _, p := range st.result.Items {
		it := ItemRow{Row: p.Row, Title: p.Item.Title, Kind: p.Item.Kind, Channels: p.Item.Channels,
			Occurrences: occ[p.Row], Existing: p.Existing, Schedule: p.Item.Schedule}
		if st.stored && !p.Existing {
			it.ID = p.Item.ID
		}
		r.Items = append(r.Items, it)
	}
	if len(st.probs) == 0 {
		r.Created, r.Skipped = st.result.Created, st.result.Skipped
	}
	slices.SortStableFunc(st.probs, func(a, b problem) int { return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col)) })
	for _, p := range st.probs {
		r.Errors = append(r.Errors, p.render(lang))
	}
	return r
}
