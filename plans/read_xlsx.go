package plans

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of a workbook, checked on the zip directory and the sheets' bytes
// before excelize parses anything: a 5 MB file can unpack into gigabytes.
const (
	maxUnzipped    = 40 << 20 // every part of the workbook together
	maxSheetXML    = 10 << 20 // one worksheet: far above 10,000 rows of a plan
	maxMergeRanges = 2000     // excelize merges overlapping ranges pairwise
	maxSheets      = 20       // sheets looked at for the plan's headers
)

// readXLSX reads the sheets of a workbook, in order, up to the first one
// that holds the plan's headers (findTable decides). Cells are read raw:
// a date-formatted cell is its serial number, whatever the display format
// or the locale of the spreadsheet program that wrote it.
func readXLSX(data []byte) (sheets []grid, problem *fault) {
	if f := precheckXLSX(data); f != nil {
		return nil, f
	}
	// A malformed workbook must not take the server down: excelize is
	// third-party code that reads whatever the file holds.
	defer func() {
		if recover() != nil {
			sheets, problem = nil, faultf(mUnreadable)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, faultf(mUnreadable)
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	names := f.GetSheetList()
	if len(names) > maxSheets {
		names = names[:maxSheets]
	}
	for _, name := range names {
		g, fl := readSheet(f, name)
		if fl != nil {
			return nil, fl
		}
		g.date1904 = date1904
		sheets = append(sheets, g)
		if _, ok := findHeader(g); ok {
			break
		}
	}
	if len(sheets) == 0 {
		return nil, faultf(mUnreadable)
	}
	return sheets, nil
}

// readSheet reads a sheet's rows, then spreads the values of its merged
// ranges over their cells.
func readSheet(f *excelize.File, name string) (grid, *fault) {
	rows, err := f.Rows(name)
	if err != nil {
		return grid{}, faultf(mUnreadable)
	}
	defer rows.Close()
	var g grid
	for num := 1; rows.Next(); num++ {
		if num > maxSheetRows+1000 {
			break // a formatted tail of empty rows; data that far down was refused below
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return grid{}, faultf(mUnreadable)
		}
		if fl := g.add(num, cells); fl != nil {
			return grid{}, fl
		}
	}
	if rows.Error() != nil {
		return grid{}, faultf(mUnreadable)
	}
	merges, err := f.GetMergeCells(name, true)
	if err != nil {
		return grid{}, faultf(mUnreadable)
	}
	g.spread(merges)
	return g, nil
}

// spread copies each merged range's value (its top-left cell's) into the
// range's other cells among the rows read: a header merged over two rows,
// or a kind written once for a group of rows, applies to each.
func (g *grid) spread(merges []excelize.MergeCell) {
	at := make(map[int]int, len(g.rows)) // row number → index in g.rows
	for i, r := range g.rows {
		at[r.num] = i
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		top, ok := at[r1]
		if err1 != nil || err2 != nil || !ok || c1 > len(g.rows[top].cells) {
			continue
		}
		v := g.rows[top].cells[c1-1]
		if strings.TrimSpace(v) == "" {
			continue
		}
		for r := r1; r <= min(r2, r1+maxSheetRows); r++ {
			i, ok := at[r]
			if !ok {
				continue
			}
			for c := c1; c <= min(c2, maxCols); c++ {
				if r == r1 && c == c1 {
					continue
				}
				g.setMerged(i, c, v)
			}
		}
	}
}

func (g *grid) setMerged(i, c int, v string) {
	row := &g.rows[i]
	for len(row.cells) < c {
		row.cells = append(row.cells, "")
	}
	if row.cells[c-1] != "" {
		return
	}
	row.cells[c-1] = v
	if g.merged == nil {
		g.merged = map[int]map[int]bool{}
	}
	if g.merged[row.num] == nil {
		g.merged[row.num] = map[int]bool{}
	}
	g.merged[row.num][c-1] = true
}

// precheckXLSX checks the zip directory and the worksheets against the
// limits: the sizes unpacked, and the number of merged ranges (counted in
// the sheets' XML as it streams by).
func precheckXLSX(data []byte) *fault {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return faultf(mUnreadable)
	}
	var total uint64
	merges := 0
	for _, zf := range z.File {
		total += zf.UncompressedSize64
		if total > maxUnzipped {
			return faultf(mUnzipBig, maxUnzipped>>20)
		}
		name := strings.ToLower(zf.Name)
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		if zf.UncompressedSize64 > maxSheetXML {
			return faultf(mUnzipBig, maxUnzipped>>20)
		}
		n, err := countMerges(zf)
		if err != nil {
			return faultf(mUnreadable)
		}
		if merges += n; merges > maxMergeRanges {
			return faultf(mMerges, maxMergeRanges)
		}
	}
	return nil
}

// countMerges counts <mergeCell> elements (with or without a namespace
// prefix) in a worksheet, reading at most its declared size.
func countMerges(zf *zip.File) (int, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	const tag = "mergeCell"
	buf := make([]byte, 64<<10)
	carry, n := 0, 0
	r := io.LimitReader(rc, maxSheetXML+1)
	for {
		m, err := r.Read(buf[carry:])
		chunk := buf[:carry+m]
		// A tag is counted where the following byte is known: not the
		// "s" of <mergeCells>.
		for i := 0; ; {
			j := bytes.Index(chunk[i:], []byte(tag))
			if j < 0 || i+j+len(tag) >= len(chunk) {
				break
			}
			if chunk[i+j+len(tag)] != 's' {
				n++
			}
			i += j + len(tag)
		}
		keep := min(len(chunk), len(tag))
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		copy(buf, chunk[len(chunk)-keep:])
		carry = keep
	}
}
