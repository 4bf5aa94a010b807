package plans

import (
	"cmp"
	"time"

	"github.com/lantoa/lantoa/campaigns"
)

// newSheetCtx bounds the dates to the campaign with campaigns' margin.
func newSheetCtx(camp campaigns.Campaign, now time.Time, loc *time.Location, st stationIndex) *sheetCtx {
	shift := func(d string, days int) string {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return d
		}
		return t.AddDate(0, 0, days).Format("2006-01-02")
	}
	return &sheetCtx{camp: camp, lo: shift(camp.Start, -campaigns.CampaignMarginDays), hi: shift(camp.End, campaigns.CampaignMarginDays),
		now: now, loc: loc, stations: st}
}

// schedule reads Ngày, Giờ, Đến ngày and Thứ: one moment when only a date
// and one time are given; a recurrence (times every day from the date to
// Đến ngày, or that day only, on the given weekdays) when Đến ngày, several
// times or weekdays are. It returns the schedule and how many times it
// still goes out, and checks what campaigns.Schedule.Validate checks.
func (x *sheetCtx) schedule(r *rowReader, v [numCols]string, ok [numCols]bool) (campaigns.Schedule, int) {
	day, until, times, weekdays, good := x.when(r, v, ok)
	switch {
	case !good:
		return campaigns.Schedule{}, 0
	case until == "" && len(times) == 1 && len(weekdays) == 0:
		return x.moment(r, day, times[0])
	}
	return x.recurrence(r, campaigns.Schedule{Times: times, From: day, To: cmp.Or(until, day), Weekdays: weekdays})
}

// when reads the four cells; good is false when one has a problem.
func (x *sheetCtx) when(r *rowReader, v [numCols]string, ok [numCols]bool) (day, until string, times []string, weekdays []int, good bool) {
	good = ok[colDate] && ok[colTimes] && ok[colUntil] && ok[colWeekdays]
	day = x.date(r, colDate, v[colDate], ok[colDate], &good)
	if v[colUntil] != "" {
		until = x.date(r, colUntil, v[colUntil], ok[colUntil], &good)
	}
	if ok[colTimes] {
		t, f := parseTimes(v[colTimes])
		if f == nil && len(t) == 0 {
			f = faultf(mRequired)
		}
		if f != nil {
			r.bad(colTimes, f)
			good = false
		}
		times = t
	}
	if ok[colWeekdays] && v[colWeekdays] != "" {
		w, f := parseWeekdays(v[colWeekdays])
		if f != nil {
			r.bad(colWeekdays, f)
			good = false
		}
		weekdays = w
	}
	if day != "" && until != "" && until < day {
		r.bad(colUntil, faultf(mUntilBefore, vnDate(until), vnDate(day)))
		good = false
	} else if day != "" && until != "" && days(day, until)+1 > campaigns.MaxRecurrenceDays {
		r.bad(colUntil, faultf(mSpan, campaigns.MaxRecurrenceDays))
		good = false
	}
	return day, until, times, weekdays, good
}

// moment is a one-off schedule, which must be in the future.
func (x *sheetCtx) moment(r *rowReader, day, hhmm string) (campaigns.Schedule, int) {
	d, _ := time.ParseInLocation("2006-01-02", day, x.loc)
	at := d.Add(clockOf(hhmm))
	if !at.After(x.now) {
		r.bad(colDate, faultf(mPast, vnDate(day), hhmm))
		return campaigns.Schedule{}, 0
	}
	return campaigns.Schedule{At: &at}, 1
}

// recurrence checks that a recurrence has a day on its weekdays, and one
// still to come.
func (x *sheetCtx) recurrence(r *rowReader, s campaigns.Schedule) (campaigns.Schedule, int) {
	first, _ := time.ParseInLocation("2006-01-02", s.From, x.loc)
	last, _ := time.ParseInLocation("2006-01-02", s.To, x.loc)
	end := last.AddDate(0, 0, 1)
	if len(s.Occurrences(first, end, x.loc)) == 0 {
		r.bad(colWeekdays, faultf(mNoMoments, vnDate(s.From), vnDate(s.To)))
		return campaigns.Schedule{}, 0
	}
	n := len(s.Occurrences(x.now, end, x.loc))
	if n == 0 {
		r.bad(colDate, faultf(mAllPast, vnDate(s.From), vnDate(s.To)))
		return campaigns.Schedule{}, 0
	}
	return s, n
}

// date reads a date cell and checks it lies within the campaign's bounds.
func (x *sheetCtx) date(r *rowReader, c col, cell string, ok bool, good *bool) string {
	if !ok {
		return ""
	}
	d, f := parseDate(cell, x.date1904)
	if f != nil {
		r.bad(c, f)
		*good = false
		return ""
	}
	if d < x.lo || d > x.hi {
		r.bad(c, faultf(mDateOutside, vnDate(d), vnDate(x.camp.Start), vnDate(x.camp.End)))
		*good = false
		return ""
	}
	return d
}

func days(from, to string) int {
	a, _ := time.Parse("2006-01-02", from)
	b, _ := time.Parse("2006-01-02", to)
	return int(b.Sub(a).Hours() / 24)
}

// clockOf is the time since midnight of an HH:MM already checked.
func clockOf(hhmm string) time.Duration {
	t, _ := time.Parse("15:04", hhmm)
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
}
