package plans

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/lantoa/lantoa/stations"
)

// Stations lists the caller's commune's loudspeaker stations;
// stations.Service implements it.
type Stations interface {
	List(ctx context.Context, ids ...string) ([]stations.Station, error)
}

// allStations are the words for every station of the commune.
var allStations = map[string]bool{"tat ca": true, "tat ca cac cum loa": true, "toan xa": true, "all": true}

// stationIndex finds the commune's stations by name. A name is matched
// ignoring case and white space, then ignoring diacritics too; a name two
// stations share must carry its village: "Cụm 1 (Thôn Đông)".
type stationIndex struct {
	list []stations.Station
	by   map[string][]int // loose and folded names, and "name (village)" → indexes in list
}

func newStationIndex(list []stations.Station) stationIndex {
	// In the order Vietnamese readers expect (the store sorts by bytes: Đ
	// after T), as messages list them.
	vi := collate.New(language.Vietnamese)
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b stations.Station) int {
		return cmp.Or(vi.CompareString(a.Village, b.Village), vi.CompareString(a.Name, b.Name))
	})
	x := stationIndex{list: list, by: map[string][]int{}}
	for i, st := range list {
		full := st.Name + " (" + st.Village + ")"
		for _, k := range slices.Compact([]string{loose(st.Name), fold(st.Name), loose(full), fold(full)}) {
			if !slices.Contains(x.by[k], i) {
				x.by[k] = append(x.by[k], i)
			}
		}
	}
	return x
}

// known reports whether s names a station (for splitting a list at the
// commas that are not in a name).
func (x stationIndex) known(s string) bool {
	return len(x.by[loose(s)]) > 0 || len(x.by[fold(s)]) > 0 || allStations[fold(s)]
}

// find returns the ids of the stations a cell names, in its order.
func (x stationIndex) find(cell string) ([]string, *fault) {
	var ids []string
	add := func(id string) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, name := range splitKnown(cell, x.known) {
		if allStations[fold(name)] {
			for _, st := range x.list {
				add(st.ID)
			}
			continue
		}
		hits := x.by[loose(name)]
		if len(hits) == 0 {
			hits = x.by[fold(name)]
		}
		switch len(hits) {
		case 0:
			return nil, faultf(mBadStation, name, listOf(x.labels()))
		case 1:
			add(x.list[hits[0]].ID)
		default:
			var full []string
			for _, i := range hits {
				full = append(full, x.list[i].Name+" ("+x.list[i].Village+")")
			}
			return nil, faultf(mTwoStations, name, listOf(full))
		}
	}
	return ids, nil
}

// label is how the export writes a station: its name, with its village when
// another station has the same name.
func (x stationIndex) label(id string) string {
	for _, st := range x.list {
		if st.ID != id {
			continue
		}
		if len(x.by[loose(st.Name)]) > 1 || len(x.by[fold(st.Name)]) > 1 {
			return st.Name + " (" + st.Village + ")"
		}
		return st.Name
	}
	return id // a station deleted since: the import says it is unknown
}

func (x stationIndex) labels() []string {
	out := make([]string, len(x.list))
	for i, st := range x.list {
		out[i] = x.label(st.ID)
	}
	return out
}

// joinLabels writes the stations of an item.
func (x stationIndex) joinLabels(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = x.label(id)
	}
	return strings.Join(out, ", ")
}
