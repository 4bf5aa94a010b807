package plans

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of a plan file (SPEC §6.4), checked before or while reading, never
// after: a file over them is refused without being parsed further.
const (
	// MaxFileBytes bounds an uploaded plan file.
	MaxFileBytes = 5 << 20
	// MaxRows bounds a plan's data rows.
	MaxRows = 2000
	// maxSheetRows is how far down a sheet is read: data rows, headers,
	// empty rows and notes together.
	maxSheetRows = 10000
	// maxReadRows bounds the non-empty rows read: the data rows, the
	// headers above them and a notes block beside them.
	maxReadRows = MaxRows + 100
	// maxCols is how many columns of a sheet are read.
	maxCols = 100
	// headerRows is how far down the headers are looked for.
	headerRows = 20
)

// grid is a sheet as text: its non-empty rows with their row numbers as
// the spreadsheet shows them, cells from column A.
type grid struct {
	rows     []gridRow
	date1904 bool // dates as Excel serial numbers count from 1904
	// merged marks cells that were empty and took the value of the merged
	// range they lie in (row number → columns).
	merged map[int]map[int]bool
}

type gridRow struct {
	num   int
	cells []string
}

// readFile reads a plan file, XLSX or CSV, told apart by content. The
// problem, if any, is about the file as a whole. findTable picks, among
// the sheets of a workbook, the one with the plan's headers.
func readFile(data []byte) ([]grid, *fault) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, faultf(mEmpty)
	case len(data) > MaxFileBytes:
		return nil, faultf(mTooBig, float64(len(data))/(1<<20))
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}): // OLE: .xls, or an encrypted .xlsx
		return nil, faultf(mOldExcel)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, faultf(mUTF16)
	}
	g, f := readCSV(data)
	if f != nil {
		return nil, f
	}
	return []grid{g}, nil
}

// readCSV reads CSV in UTF-8, with or without a byte order mark, separated
// by commas or by semicolons (as Excel writes CSV where the decimal mark is
// a comma, Vietnamese among them), or as an Excel "sep=" line says.
func readCSV(data []byte) (grid, *fault) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return grid{}, faultf(mNotUTF8, badLine(data))
	}
	text := string(data)
	sep := detectSeparator(text)
	first, rest, _ := strings.Cut(text, "\n")
	if l := strings.TrimRight(first, "\r"); len(l) == 5 && strings.EqualFold(l[:4], "sep=") && validDelim(rune(l[4])) {
		sep, text = rune(l[4]), rest // Excel hides this line: rows count from the next one
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
	var g grid
	num := 0
	for {
		before := r.InputOffset()
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return g, nil
		}
		// encoding/csv skips blank lines; a spreadsheet shows each as a row.
		num += 1 + blankLines(text[before:])
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return grid{}, faultf(mCSVQuote, num)
		}
		if err != nil {
			return grid{}, faultf(mUnreadable)
		}
		if f := g.add(num, rec); f != nil {
			return grid{}, f
		}
	}
}

// add keeps a row if it has a non-empty cell, within the limits.
func (g *grid) add(num int, cells []string) *fault {
	if len(cells) > maxCols {
		cells = cells[:maxCols]
	}
	empty := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return nil
	}
	if num > maxSheetRows {
		return faultf(mTooLong, nMaxSheetRows)
	}
	if len(g.rows) >= maxReadRows {
		return faultf(mTooMany, nMaxRows)
	}
	g.rows = append(g.rows, gridRow{num: num, cells: append([]string(nil), cells...)})
	return nil
}

// blankLines counts the blank lines at the start of s.
func blankLines(s string) int {
	n := 0
	for i := 0; i < len(s) && (s[i] == '\n' || s[i] == '\r'); i++ {
		if s[i] == '\n' {
			n++
		}
	}
	return n
}

// detectSeparator picks the separator of the first non-empty line: the
// most frequent of comma, semicolon and tab outside quotes; a comma on a tie.
func detectSeparator(text string) rune {
	counts := map[rune]int{}
	quoted, seen := false, false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n' && seen:
			return bestSeparator(counts)
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
			seen = true
		case r != '\n' && r != '\r' && r != ' ':
			seen = true
		}
	}
	return bestSeparator(counts)
}

func bestSeparator(counts map[rune]int) rune {
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// validDelim is encoding/csv's rule for a separator.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r < utf8.RuneSelf
}

// badLine is the line of the first byte that is not UTF-8.
func badLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}
