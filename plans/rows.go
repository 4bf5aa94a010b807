package plans

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/usertext"
)

// sheetCtx is what rows are read against: the campaign and its dates, the
// clock, the commune's stations and the workbook's date system.
type sheetCtx struct {
	camp     campaigns.Campaign
	lo, hi   string // first and last date an item may fall on (YYYY-MM-DD)
	now      time.Time
	loc      *time.Location
	stations stationIndex
	date1904 bool
}

// planned is a row read without problems: the item it makes and how many
// times it goes out.
type planned struct {
	row         int
	in          campaigns.ItemInput
	occurrences int
}

// rowReader collects the problems of one row.
type rowReader struct {
	row   int
	probs []problem
}

func (r *rowReader) bad(c col, f *fault) {
	r.probs = append(r.probs, problem{r.row, c, f.m, f.args})
}

// cleanCell applies the text rule (usertext) and the column's length cap to
// a cell, saying what is wrong in the plan's words. The cap is checked on
// the raw bytes first, so that an oversized cell is not cleaned at all.
func cleanCell(c col, raw string) (string, *fault) {
	max := columns[c].max
	if len(raw) > 4*max+64 {
		return "", faultf(mCellTooLong, utf8.RuneCountInString(raw), max)
	}
	if !utf8.ValidString(raw) {
		return "", faultf(mControl, utf8.RuneError)
	}
	for _, r := range raw {
		if usertext.Forbidden(r) {
			return "", faultf(mControl, r)
		}
	}
	clean := usertext.Line
	if columns[c].block {
		clean = usertext.Block
	}
	t, err := clean(columns[c].en, raw, 0)
	if err != nil {
		return "", faultf(mRefused, err.Error())
	}
	if n := utf8.RuneCountInString(t); n > max {
		return "", faultf(mCellTooLong, n, max)
	}
	return t, nil
}

// read turns a record into an item, or into problems: every cell is
// checked, so that a row with three mistakes shows three.
func (x *sheetCtx) read(rec record) (planned, []problem) {
	r := &rowReader{row: rec.row}
	var v [numCols]string
	var ok [numCols]bool
	for c := range numCols {
		t, f := cleanCell(c, rec.cells[c])
		if f != nil {
			r.bad(c, f)
			continue
		}
		v[c], ok[c] = t, true
		if t == "" && columns[c].required {
			r.bad(c, faultf(mRequired))
			ok[c] = false
		}
	}
	kind := ""
	if ok[colKind] {
		if kind = kindWordsIn[kindWord(v[colKind])]; kind == "" {
			r.bad(colKind, faultf(mBadKind, v[colKind]))
		}
	}
	in := campaigns.ItemInput{Kind: &kind, Title: ptr(v[colTitle]), Body: ptr(v[colBody]),
		Link: ptr(v[colLink]), Place: ptr(v[colPlace])}
	in.Channels = ptr(x.channels(r, kind, v[colChannels], ok[colChannels]))
	in.StationIDs = ptr(x.stationIDs(r, kind, v[colStations], ok[colStations]))
	in.Audiences = ptr(audiences(r, v[colAudiences], ok[colAudiences]))
	if ok[colLink] && v[colLink] != "" && !validLink(v[colLink]) {
		r.bad(colLink, faultf(mBadLink, v[colLink]))
	}
	if ok[colPlace] && kind == campaigns.KindEvent && v[colPlace] == "" {
		r.bad(colPlace, faultf(mNeedPlace))
	}
	sched, n := x.schedule(r, v, ok)
	in.Schedule = &sched
	if len(r.probs) > 0 {
		return planned{}, r.probs
	}
	return planned{row: rec.row, in: in, occurrences: n}, nil
}

func ptr[T any](v T) *T { return &v }

// channels reads the channel cell against the kind's channels; a kind with
// one channel (a script, an event) may leave it empty.
func (x *sheetCtx) channels(r *rowReader, kind, cell string, ok bool) []string {
	if !ok {
		return nil
	}
	allowed := campaigns.AllowedChannels(kind)
	var out []string
	for _, w := range splitKnown(cell, known(channelWordsIn)) {
		code, found := channelWordsIn[fold(w)]
		if !found {
			r.bad(colChannels, faultf(mBadChannel, w, channelNames(allChannels())))
			return nil
		}
		if kind != "" && !slices.Contains(allowed, code) {
			r.bad(colChannels, faultf(mWrongChan, kindWords[kind], w, channelNames(allowed)))
			return nil
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	switch {
	case len(out) > 0 || kind == "":
	case len(allowed) == 1:
		out = allowed
	default:
		r.bad(colChannels, faultf(mNoChannel, kindWords[kind], channelNames(allowed)))
	}
	return out
}

// stationIDs reads the station cell: required for scripts, empty for the rest.
func (x *sheetCtx) stationIDs(r *rowReader, kind, cell string, ok bool) []string {
	switch {
	case !ok:
		return nil
	case kind != campaigns.KindScript && cell != "":
		if kind != "" {
			r.bad(colStations, faultf(mOnlyScripts))
		}
		return nil
	case kind != campaigns.KindScript:
		return []string{}
	case len(x.stations.list) == 0:
		r.bad(colStations, faultf(mNoStations))
		return nil
	case cell == "":
		r.bad(colStations, faultf(mNeedStation))
		return nil
	}
	ids, f := x.stations.find(cell)
	if f != nil {
		r.bad(colStations, f)
	}
	return ids
}

// audiences reads the audience cell: codes or Vietnamese names.
func audiences(r *rowReader, cell string, ok bool) []string {
	out := []string{}
	if !ok {
		return out
	}
	for _, w := range splitKnown(cell, known(audienceWordsIn)) {
		code, found := audienceWordsIn[fold(w)]
		if !found {
			names := make([]string, len(campaigns.Audiences))
			for i, a := range campaigns.Audiences {
				names[i] = a.Name
			}
			r.bad(colAudiences, faultf(mBadAudience, w, strings.Join(names, "; ")))
			return nil
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}
