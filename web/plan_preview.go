package web

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/plans"
)

// previewMax is how many rows the preview lists: every row with an error,
// then valid rows up to it (a 2,000-row plan would weigh a megabyte on a
// phone; the summary counts them all).
const previewMax = 500

// planPreview is the check of a kept file as the page shows it.
type planPreview struct {
	Sum, Name                      string
	Rows, Created, Skipped, Errors string // counts, written for the language
	HasErrors                      bool
	CanConfirm                     bool
	// Top are the errors about the file as a whole or its header row,
	// said above the table.
	Top    []string
	Lines  []previewLine
	Hidden string // valid rows not listed ("" for none)
	// Jumps lead to the first rows with errors, MoreJumps counts the
	// others ("" for none).
	Jumps     []jump
	MoreJumps string
}

// jump is a link to a row with errors, naming its bad columns.
type jump struct {
	Row  int
	Cols string
}

// maxJumps is how many rows with errors the summary links to.
const maxJumps = 12

// previewLine is one data row of the file.
type previewLine struct {
	Row int
	// State is new, existing, bad, or "" for a row not read (the
	// headers are wrong).
	State       string
	Kind, Title string
	Channels    string
	// When is how the row was read (valid rows); Parts are the file's
	// date and time cells, for the other rows.
	When        string
	Parts       []cellPart
	Occurrences string
	// Bad marks the table's cells that have an error: kind, title,
	// channels; a row-level error marks the row.
	BadKind, BadTitle, BadChannels, BadRow bool
	// Extra are the bad cells of columns the table does not show.
	Extra  []cellPart
	Errors []string
}

// cellPart is a cell of the file with its column's name.
type cellPart struct {
	Label, Value string
	Bad          bool
}

// Columns of the file (plans' Vietnamese headers) by their catalogue key.
var (
	whenColumns  = []string{"Ngày", "Giờ", "Đến ngày", "Thứ"}
	extraColumns = []string{"Nội dung", "Cụm loa", "Đối tượng", "Liên kết", "Địa điểm"}
	columnKeys   = map[string]string{"Loại": "imp.h.kind", "Tiêu đề": "imp.h.title", "Nội dung": "imp.h.body", "Kênh": "imp.h.channels",
		"Ngày": "imp.h.date", "Giờ": "imp.h.times", "Đến ngày": "imp.h.until", "Thứ": "imp.h.weekdays", "Cụm loa": "imp.h.stations",
		"Đối tượng": "imp.h.audiences", "Liên kết": "imp.h.link", "Địa điểm": "imp.h.place"}
)

// preview lays out a report for the page.
func (s *Server) preview(v *view, sum, name string, r plans.Report) *planPreview {
	// New and existing items are counted from the rows read: a report
	// with errors creates (and counts) none, yet the page says how much of
	// the file is good already.
	fresh, existing := 0, 0
	for _, it := range r.Items {
		if it.Existing {
			existing++
		} else {
			fresh++
		}
	}
	p := &planPreview{Sum: sum, Name: name, Rows: thousands(int64(r.Rows), v.Lang), Created: thousands(int64(fresh), v.Lang),
		Skipped: thousands(int64(existing), v.Lang), Errors: thousands(int64(len(r.Errors)), v.Lang), HasErrors: len(r.Errors) > 0}
	p.CanConfirm = !p.HasErrors && r.Created > 0
	byRow := map[int][]plans.CellError{}
	data := map[int]bool{}
	for _, rc := range r.Cells {
		data[rc.Row] = true
	}
	for _, e := range r.Errors {
		if data[e.Row] {
			byRow[e.Row] = append(byRow[e.Row], e)
		} else {
			p.Top = append(p.Top, e.Message)
		}
	}
	items := map[int]plans.ItemRow{}
	for _, it := range r.Items {
		items[it.Row] = it
	}
	valid := previewMax - len(byRow)
	hidden := 0
	for _, rc := range r.Cells {
		errs := byRow[rc.Row]
		if len(errs) == 0 {
			if valid <= 0 {
				hidden++
				continue
			}
			valid--
		}
		it, read := items[rc.Row]
		switch {
		case len(errs) > 0:
			p.Lines = append(p.Lines, badLine(v, rc, errs))
		case read:
			p.Lines = append(p.Lines, s.readLine(v, it, rc))
		default:
			p.Lines = append(p.Lines, rawLine(v, rc, "", nil)) // not read: the headers are wrong
		}
	}
	if hidden > 0 {
		p.Hidden = thousands(int64(hidden), v.Lang)
	}
	p.Jumps, p.MoreJumps = jumps(v, r.Cells, byRow)
	return p
}

// jumps lists the first rows with errors, in file order, with the names of
// their bad columns, and how many more rows have errors.
func jumps(v *view, cells []plans.RowCells, byRow map[int][]plans.CellError) ([]jump, string) {
	var out []jump
	more := 0
	for _, rc := range cells {
		errs := byRow[rc.Row]
		if len(errs) == 0 {
			continue
		}
		if len(out) == maxJumps {
			more++
			continue
		}
		var cols []string
		for _, e := range errs {
			if k, ok := columnKeys[e.Column]; ok && !slices.Contains(cols, v.T(k)) {
				cols = append(cols, v.T(k))
			}
		}
		out = append(out, jump{Row: rc.Row, Cols: strings.Join(cols, ", ")})
	}
	if more > 0 {
		return out, thousands(int64(more), v.Lang)
	}
	return out, ""
}

// readLine is a valid row as the import reads it, with the stations its
// file names (a script's "Cụm loa").
func (s *Server) readLine(v *view, it plans.ItemRow, rc plans.RowCells) previewLine {
	l := previewLine{Row: it.Row, State: "new", Kind: v.T("kind." + it.Kind), Title: it.Title,
		When: s.scheduleText(v, it.Schedule), Occurrences: thousands(int64(it.Occurrences), v.Lang)}
	if it.Existing {
		l.State = "existing"
	}
	chans := make([]string, len(it.Channels))
	for i, c := range it.Channels {
		chans[i] = v.T("chs." + c)
	}
	l.Channels = strings.Join(chans, ", ")
	if val := strings.TrimSpace(rc.Cells["Cụm loa"]); val != "" && it.Kind == campaigns.KindScript {
		l.Extra = append(l.Extra, cellPart{Label: v.T(columnKeys["Cụm loa"]), Value: clip(val, 80)})
	}
	return l
}

// rawLine is a row as the file has it, the cells of the columns in bad
// marked ("" for the row itself). Cells are clipped: a cell refused for
// its length may be thousands of characters long.
func rawLine(v *view, rc plans.RowCells, state string, bad map[string]bool) previewLine {
	cell := func(col string) string { return clip(rc.Cells[col], 200) }
	l := previewLine{Row: rc.Row, State: state, Kind: cell("Loại"), Title: cell("Tiêu đề"), Channels: cell("Kênh"),
		Occurrences: "—", BadKind: bad["Loại"], BadTitle: bad["Tiêu đề"], BadChannels: bad["Kênh"], BadRow: bad[""]}
	for _, col := range whenColumns {
		if val := rc.Cells[col]; val != "" || bad[col] {
			l.Parts = append(l.Parts, cellPart{Label: v.T(columnKeys[col]), Value: shown(v, clip(val, 80)), Bad: bad[col]})
		}
	}
	for _, col := range extraColumns {
		if bad[col] {
			l.Extra = append(l.Extra, cellPart{Label: v.T(columnKeys[col]), Value: shown(v, clip(rc.Cells[col], 80)), Bad: true})
		}
	}
	return l
}

// badLine is a row with errors: its cells as the file has them, the bad
// ones marked, and each error's sentence.
func badLine(v *view, rc plans.RowCells, errs []plans.CellError) previewLine {
	bad := map[string]bool{}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		bad[e.Column] = true
		msgs[i] = e.Message
	}
	l := rawLine(v, rc, "bad", bad)
	l.Errors = msgs
	return l
}

// shown is a cell's value, or "(empty)" for an empty one.
func shown(v *view, s string) string {
	if strings.TrimSpace(s) == "" {
		return v.T("imp.empty")
	}
	return s
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
