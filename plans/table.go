package plans

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// header is where a sheet's plan table starts: the last header row (data
// rows follow it) and the sheet column of each plan column (-1: absent).
type header struct {
	row int // index in grid.rows
	at  [numCols]int
}

// record is a data row: its row number and its cells by plan column, as
// read (not yet cleaned).
type record struct {
	row   int
	cells [numCols]string
}

// headerScore counts the plan columns a row names.
func headerScore(r gridRow) int {
	seen := map[col]bool{}
	for _, c := range r.cells {
		if k, ok := headerCol(c); ok {
			seen[k] = true
		}
	}
	return len(seen)
}

// findHeader finds the header row among the first rows: the one naming the
// most plan columns, at least three. Headers may be in any order, in
// Vietnamese or English; a header merged over two rows reaches the lower
// one (grid.spread), so with a group title merged above ("Thời gian" over
// Ngày and Giờ) the lower row holds every name.
func findHeader(g grid) (int, bool) {
	best, bestScore := -1, 2
	for i := 0; i < len(g.rows) && i < headerRows; i++ {
		if s := headerScore(g.rows[i]); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return -1, false
	}
	// Every column merged over two header rows: both rows name them all,
	// and the data starts below the lower one.
	for best+1 < len(g.rows) && g.rows[best+1].num == g.rows[best].num+1 && g.continuesHeader(best+1) {
		best++
	}
	return best, true
}

// continuesHeader reports whether every non-empty cell of row i names a
// column or was spread from a merged range above.
func (g grid) continuesHeader(i int) bool {
	r := g.rows[i]
	for j, c := range r.cells {
		if strings.TrimSpace(c) == "" || g.merged[r.num][j] {
			continue
		}
		if _, ok := headerCol(c); !ok {
			return false
		}
	}
	return true
}

// findTable picks the first sheet with headers and maps its columns; the
// problems are about the headers (missing or repeated columns).
func findTable(sheets []grid) (grid, header, []problem, *fault) {
	for _, g := range sheets {
		i, ok := findHeader(g)
		if !ok {
			continue
		}
		h, probs := mapHeader(g, i)
		return g, h, probs, nil
	}
	return grid{}, header{}, nil, faultf(mNoHeader, headerRows)
}

func mapHeader(g grid, i int) (header, []problem) {
	h := header{row: i}
	for c := range h.at {
		h.at[c] = -1
	}
	var probs []problem
	row := g.rows[i]
	for j, cell := range row.cells {
		c, ok := headerCol(cell)
		if !ok {
			continue
		}
		if h.at[c] < 0 {
			h.at[c] = j
			continue
		}
		if g.merged[row.num][j] {
			continue // the same header merged over two columns: the first holds the data
		}
		probs = append(probs, problem{row.num, c, mDupCol, []any{colName(h.at[c]), colName(j)}})
	}
	for c := range numCols {
		if h.at[c] < 0 && columns[c].required {
			probs = append(probs, problem{row.num, c, mMissingCol, nil})
		}
	}
	return h, probs
}

func colName(j int) string {
	n, _ := excelize.ColumnNumberToName(j + 1)
	return n
}

// examplePrefixes start the titles of the template's example rows, which
// an import skips.
var examplePrefixes = []string{"vi du:", "example:"}

// records returns the data rows below the header: rows with nothing in
// the plan's columns (a notes block beside the table) and the template's
// example rows are skipped.
func records(g grid, h header) []record {
	var out []record
	for _, r := range g.rows[h.row+1:] {
		var rec record
		rec.row = r.num
		empty := true
		for c, j := range h.at {
			if j >= 0 && j < len(r.cells) {
				rec.cells[c] = r.cells[j]
				if strings.TrimSpace(r.cells[j]) != "" {
					empty = false
				}
			}
		}
		if empty || isExample(rec.cells[colTitle]) {
			continue
		}
		out = append(out, rec)
	}
	return out
}

func isExample(title string) bool {
	t := fold(title)
	for _, p := range examplePrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
