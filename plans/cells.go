package plans

import (
	"strings"
	"time"
)

// shownCell is a cell as the spreadsheet showed it: a date or time cell
// read raw (a serial number, a fraction of a day) is written as the import
// reads it, 25/11/2026 or 06:30; any other cell as it is.
func shownCell(c col, raw string, date1904 bool) string {
	v := strings.TrimSpace(raw)
	if !numRe.MatchString(v) {
		return raw
	}
	switch c {
	case colDate, colUntil:
		if d, f := parseDate(v, date1904); f == nil {
			if t, err := time.Parse("2006-01-02", d); err == nil {
				return t.Format(dayLayout)
			}
		}
	case colTimes:
		if ts, f := parseTimes(v); f == nil && len(ts) == 1 {
			return ts[0]
		}
	}
	return raw
}
