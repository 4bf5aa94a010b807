package plans

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// fault is a problem found in one cell, before its row and column are known.
type fault struct {
	m    msg
	args []any
}

func faultf(m msg, args ...any) *fault { return &fault{m, args} }

const dayLayout = "02/01/2006" // how dates are written in the sheet

var (
	dmyRe = regexp.MustCompile(`^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,4})$`)
	isoRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	numRe = regexp.MustCompile(`^\d+(\.\d+)?(E[+-]?\d+)?$`)
)

// Excel serial numbers of 01/01/2000 and 31/12/2100 (1900 date system).
const serialMin, serialMax = 36526, 73415

// parseDate reads a date cell: day/month/year text (with /, - or .), ISO
// year-month-day, or an Excel serial number (a date-formatted cell read
// raw; date1904 for workbooks made with the 1904 date system). It returns
// YYYY-MM-DD.
func parseDate(s string, date1904 bool) (string, *fault) {
	if numRe.MatchString(s) {
		v, err := strconv.ParseFloat(s, 64)
		lo, hi := float64(serialMin), float64(serialMax)
		if date1904 {
			lo, hi = lo-1462, hi-1462
		}
		if err != nil || v < lo || v >= hi+1 {
			return "", faultf(mBadDate, s)
		}
		t, err := excelize.ExcelDateToTime(math.Floor(v), date1904)
		if err != nil {
			return "", faultf(mBadDate, s)
		}
		return t.Format("2006-01-02"), nil
	}
	if m := isoRe.FindStringSubmatch(s); m != nil {
		return realDate(s, m[1], m[2], m[3], "")
	}
	m := dmyRe.FindStringSubmatch(s)
	if m == nil {
		return "", faultf(mBadDate, s)
	}
	switch len(m[3]) {
	case 4:
		return realDate(s, m[3], m[2], m[1], "")
	case 2: // 25/11/26: say how to write it, do not guess the century
		return realDate(s, "20"+m[3], m[2], m[1], s)
	}
	return "", faultf(mBadDate, s)
}

// realDate checks that y-m-d is a real date between 2000 and 2100. With
// fix set, a real date is still refused, with a suggestion of how to
// write it.
func realDate(cell, y, m, d, fix string) (string, *fault) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd || yy < 2000 || yy > 2100 {
		return "", faultf(mBadDate, cell)
	}
	if fix != "" {
		return "", faultf(mFixDate, cell, t.Format(dayLayout))
	}
	return t.Format("2006-01-02"), nil
}

var (
	clockRe = regexp.MustCompile(`^(\d{1,2}):(\d{2})(:00)?$`)
	// looseTimeRe is how people write times that the sheet refuses, folded:
	// 6h30, 6g, 6 giờ 30, 6.30, 5:30 chiều, 5:30 pm. Only to suggest a fix.
	looseTimeRe = regexp.MustCompile(`^(\d{1,2})\s*(?:h|g|gio|:|\.)?\s*(\d{2})?\s*(?:p|ph|phut|')?\s*(sang|trua|chieu|toi|am|pm)?$`)
)

// maxTimes is campaigns' limit of times a day.
const maxTimes = 12

// parseTimes reads a time cell: HH:MM (H:MM and HH:MM:00 too), several
// separated by commas, semicolons or line breaks, or a time-formatted cell
// read raw (a fraction of a day, or a date and time). Repeated times count
// once.
func parseTimes(s string) ([]string, *fault) {
	if numRe.MatchString(s) {
		v, _ := strconv.ParseFloat(s, 64)
		if v < 1 || (v >= serialMin-1462 && v < serialMax+1) {
			mins := int(math.Round((v - math.Floor(v)) * 24 * 60))
			return []string{fmt.Sprintf("%02d:%02d", mins/60%24, mins%60)}, nil
		}
	}
	var out []string
	for _, p := range pieces(s) {
		tok := strings.TrimSpace(p.text)
		if tok == "" {
			continue
		}
		got, f := clockTokens(tok)
		if f != nil {
			return nil, f
		}
		for _, t := range got {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	if len(out) > maxTimes {
		return nil, faultf(mManyTimes, maxTimes)
	}
	return out, nil
}

// clockTokens reads one time, or several separated by spaces.
func clockTokens(tok string) ([]string, *fault) {
	if t, ok := clock(tok); ok {
		return []string{t}, nil
	}
	var out []string
	for _, w := range strings.Fields(tok) {
		t, ok := clock(w)
		if !ok {
			out = nil
			break
		}
		out = append(out, t)
	}
	if len(out) > 1 {
		return out, nil
	}
	if fix, ok := suggestTime(tok); ok {
		return nil, faultf(mFixTime, tok, fix)
	}
	return nil, faultf(mBadTime, tok)
}

func clock(s string) (string, bool) {
	m := clockRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	if h > 23 || mi > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, mi), true
}

func suggestTime(tok string) (string, bool) {
	m := looseTimeRe.FindStringSubmatch(fold(tok))
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	if (m[3] == "chieu" || m[3] == "toi" || m[3] == "pm") && h < 12 {
		h += 12
	}
	if m[3] == "am" && h == 12 {
		h = 0
	}
	if h > 23 || mi > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, mi), true
}

// everyDay are the words for "every day of the week".
var everyDay = map[string]bool{"hang ngay": true, "moi ngay": true, "ca tuan": true, "every day": true, "daily": true}

// parseWeekdays reads a weekday cell: T2 … T7, CN (or Thứ hai, Chủ nhật,
// Mon …), separated by commas, semicolons, slashes or spaces, with ranges
// such as T2-T6 or T2 đến T6. It returns ISO weekdays (1 = Monday … 7 =
// Sunday) in the order given.
func parseWeekdays(s string) ([]int, *fault) {
	var out []int
	add := func(d int) {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	sep := func(r rune) bool { return r == ',' || r == ';' || r == '/' || r == '\n' }
	for _, seg := range strings.FieldsFunc(s, sep) {
		f := strings.NewReplacer("–", "-", "—", "-", " den ", "-").Replace(" " + fold(seg) + " ")
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case everyDay[f]:
			for d := 1; d <= 7; d++ {
				add(d)
			}
		case strings.Contains(f, "-"):
			a, b, _ := strings.Cut(f, "-")
			da, oka := weekdayWordsIn[strings.TrimSpace(a)]
			db, okb := weekdayWordsIn[strings.TrimSpace(b)]
			if !oka || !okb {
				return nil, faultf(mBadWeekday, strings.TrimSpace(seg))
			}
			for d := da; ; d = d%7 + 1 {
				add(d)
				if d == db {
					break
				}
			}
		default:
			days, ok := weekdayWords(f)
			if !ok {
				return nil, faultf(mBadWeekday, strings.TrimSpace(seg))
			}
			for _, d := range days {
				add(d)
			}
		}
	}
	return out, nil
}

// weekdayWords reads "t2 t4", "thu 2 thu 4" or "thu hai va thu tu".
func weekdayWords(f string) ([]int, bool) {
	ws := strings.Fields(f)
	var out []int
	for i := 0; i < len(ws); {
		if i+1 < len(ws) {
			if d, ok := weekdayWordsIn[ws[i]+" "+ws[i+1]]; ok {
				out, i = append(out, d), i+2
				continue
			}
		}
		if d, ok := weekdayWordsIn[ws[i]]; ok {
			out, i = append(out, d), i+1
			continue
		}
		if ws[i] == "va" || ws[i] == "and" || ws[i] == "&" {
			i++
			continue
		}
		return nil, false
	}
	return out, len(out) > 0
}

// vnDate writes YYYY-MM-DD as the sheet does (25/11/2026).
func vnDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format(dayLayout)
}
