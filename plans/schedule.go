package plans

import (
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
	good := ok[colDate] && ok[colTimes] && ok[colUntil] && ok[colWeekdays]
	day, until := x.date(r, colDate, v[colDate], ok[colDate], &good), ""
	if v[colUntil] != "" {
		until = x.date(r, colUntil, v[colUntil], ok[colUntil], &good)
	}
	var times []string
	if ok[colTimes] {
		t, f := parseTimes(v[colTimes])
		switch {
		case f != nil:
			r.bad(colTimes, f)
			good = false
		case len(t) == 0:
			r.bad(colTimes, faultf(mRequired))
			good = false
		}
		times = t
	}
	var weekdays []int
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
	if !good {
		return campaigns.Schedule{}, 0
	}
	if until == "" && len(times) == 1 && len(weekdays) == 0 {
		d, _ := time.ParseInLocation("2006-01-02", day, x.loc)
		at := d.Add(clockOf(times[0]))
		if !at.After(x.now) {
			r.bad(colDate, faultf(mPast, vnDate(day), times[0]))
			return campaigns.Schedule{}, 0
		}
		return campaigns.Schedule{At: &at}, 1
	}
	if until == "" {
		until = day
	}
	s := campaigns.Schedule{Times: times, From: day, To: until, Weekdays: weekdays}
	first, _ := time.ParseInLocation("2006-01-02", day, x.loc)
	last, _ := time.ParseInLocation("2006-01-02", until, x.loc)
	end := last.AddDate(0, 0, 1)
	if len(s.Occurrences(first, end, x.loc)) == 0 {
		r.bad(colWeekdays, faultf(mNoMoments, vnDate(day), vnDate(until)))
		return campaigns.Schedule{}, 0
	}
	n := len(s.Occurrences(x.now, end, x.loc))
	if n == 0 {
		r.bad(colDate, faultf(mAllPast, vnDate(day), vnDate(until)))
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
