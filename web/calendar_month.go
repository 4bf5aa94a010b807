package web

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/lantoa/lantoa/campaigns"
)

// month is a calendar month laid out for the page. One set of day cells
// serves both views, so that a busy month is not sent twice: from 760 px the
// weeks are grids with campaign bands across the days; on a phone the bands
// give way to the month's campaign list, and the weeks to a list of the days
// that hold something.
type month struct {
	Weeks []week
	// Bands are the month's campaigns, for the phone's campaign list.
	Bands []monthBand
	// DaysInMonth sizes the phone's month strips.
	DaysInMonth int
	// Entries counts the month's entry lines (items per day).
	Entries int
	// Listed counts the days the phone's list shows.
	Listed int
}

type week struct {
	Days  []day
	Bands []weekBand
	// ContentRow is the grid row of the days' milestones and entries, below
	// the bands' lanes.
	ContentRow int
}

type day struct {
	Date    string
	Num     int
	DM      string // dd/mm
	Weekday int    // 1 = Monday … 7 = Sunday
	InMonth bool
	Today   bool
	// Starts, Ends and Singles are the campaigns that begin, finish, or
	// begin and finish that day, for the phone's list (bands show them on
	// the grid).
	Starts, Ends, Singles []monthBand
	Milestones            []campaigns.Milestone
	Entries               []entryView
	// More counts the entries a grid cell hides beyond maxCellEntries.
	More int
	// Cut counts the entries left out of the page beyond maxDayEntries;
	// AllURL then opens the month with every entry of the day (Full).
	Cut    int
	AllURL string
	Full   bool
	// Listed says whether the phone's list shows the day.
	Listed bool
}

// weekBand is one campaign's stretch within a week: grid column Col (1–7),
// Span days, in lane Row.
type weekBand struct {
	ID, Title, Class, URL string
	Col, Span, Row        int
	// OpenStart and OpenEnd say that the campaign goes on before or after
	// this stretch.
	OpenStart, OpenEnd bool
}

type monthBand struct {
	ID, Title, Class, URL string
	Start, End            string // dd/mm/yyyy
	// X and Width place the band on the month strip, in days.
	X, Width int
}

// entryView is an item's occurrences on one day: a script aired at 06:00 and
// 17:30 on ten stations is one line, and so is a post on three channels.
type entryView struct {
	Times         string   // "06:00, 17:30"
	Channels      []string // catalogue keys
	ItemID        string
	Title, Status string
	// Stations counts the loudspeaker stations of a script.
	Stations int
	// Hidden marks the entries a grid cell leaves to "+N" (the list shows
	// them all).
	Hidden bool
	times  []string
}

// maxCellEntries bounds the entries a grid cell shows.
const maxCellEntries = 4

// maxDayEntries bounds the entries a day puts in the page (the phone's list
// shows them all): a commune with scripts on many stations can schedule
// dozens a day, which would take a month past the page weight budget. The
// rest are one link away (the month with ?day=).
const maxDayEntries = 5

// gridRange returns the first Monday on or before the 1st and the last Sunday
// on or after the month's last day.
func gridRange(first time.Time) (from, to time.Time) {
	from = first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7))
	last := first.AddDate(0, 1, -1)
	to = last.AddDate(0, 0, 6-(int(last.Weekday())+6)%7)
	return from, to
}

// layoutMonth builds the month from the calendar of its grid range and the
// campaigns overlapping that range. link makes a campaign's page URL.
// full is the day (YYYY-MM-DD) whose entries are all shown, if any, and
// dayLink makes the link to a day shown in full.
func layoutMonth(first time.Time, cal campaigns.Calendar, camps []campaigns.Campaign, today string,
	loc *time.Location, link func(id string) string, full string, dayLink func(date string) string) month {
	m := month{DaysInMonth: first.AddDate(0, 1, -1).Day()}
	byID := map[string]campaigns.Campaign{}
	for _, c := range camps {
		byID[c.ID] = c
	}
	class := bandClasses(camps)
	prefix := first.Format("2006-01")
	seen := map[string]bool{}
	for w := 0; w+7 <= len(cal.Days); w += 7 {
		wk := layoutWeek(cal.Days[w:w+7], byID, class, link)
		for i, d := range cal.Days[w : w+7] {
			dv := &wk.Days[i]
			dv.InMonth, dv.Today = strings.HasPrefix(d.Date, prefix), d.Date == today
			dv.Milestones, dv.Entries = d.Milestones, entries(d.Entries, loc)
			dv.Full = d.Date == full
			if len(dv.Entries) > maxDayEntries && !dv.Full {
				dv.Cut, dv.AllURL = len(dv.Entries)-maxDayEntries, dayLink(d.Date)
				dv.Entries = dv.Entries[:maxDayEntries]
			}
			for j := maxCellEntries; j < len(dv.Entries) && !dv.Full; j++ { // a day asked for in full shows all
				dv.Entries[j].Hidden = true
				dv.More++
			}
			dv.More += dv.Cut
			if !dv.InMonth {
				continue
			}
			for _, ref := range d.Campaigns {
				c := byID[ref.ID]
				b := monthBandOf(c, first, m.DaysInMonth, class[ref.ID], link)
				if !seen[ref.ID] {
					seen[ref.ID] = true
					m.Bands = append(m.Bands, b)
				}
				switch {
				case c.Start == d.Date && c.End == d.Date:
					dv.Singles = append(dv.Singles, b)
				case c.Start == d.Date:
					dv.Starts = append(dv.Starts, b)
				case c.End == d.Date:
					dv.Ends = append(dv.Ends, b)
				}
			}
			m.Entries += len(dv.Entries) + dv.Cut
			dv.Listed = len(dv.Starts)+len(dv.Ends)+len(dv.Singles)+len(dv.Milestones)+len(dv.Entries) > 0
			if dv.Listed {
				m.Listed++
			}
		}
		m.Weeks = append(m.Weeks, wk)
	}
	return m
}

// layoutWeek places the week's campaign stretches in lanes, earliest and
// longest first, so that a long campaign keeps its lane from week to week.
func layoutWeek(days []campaigns.Day, byID map[string]campaigns.Campaign, class map[string]string, link func(string) string) week {
	var wk week
	var order []string
	cols := map[string][2]int{} // first and last column of the stretch
	for i, d := range days {
		wk.Days = append(wk.Days, day{Date: d.Date, Num: dayNum(d.Date), DM: d.Date[8:] + "/" + d.Date[5:7], Weekday: i + 1})
		for _, ref := range d.Campaigns {
			if r, ok := cols[ref.ID]; ok {
				cols[ref.ID] = [2]int{r[0], i + 1}
				continue
			}
			cols[ref.ID] = [2]int{i + 1, i + 1}
			order = append(order, ref.ID)
		}
	}
	slices.SortStableFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(byID[a].Start, byID[b].Start), cmp.Compare(byID[b].End, byID[a].End), cmp.Compare(a, b))
	})
	var laneEnd []int // last column used in each lane
	for _, id := range order {
		r, c := cols[id], byID[id]
		lane := slices.IndexFunc(laneEnd, func(end int) bool { return end < r[0] })
		if lane < 0 {
			lane = len(laneEnd)
			laneEnd = append(laneEnd, 0)
		}
		laneEnd[lane] = r[1]
		wk.Bands = append(wk.Bands, weekBand{ID: id, Title: c.Title, Class: class[id], URL: link(id),
			Col: r[0], Span: r[1] - r[0] + 1, Row: lane + 2,
			OpenStart: c.Start < days[r[0]-1].Date, OpenEnd: c.End > days[r[1]-1].Date})
	}
	wk.ContentRow = len(laneEnd) + 2
	return wk
}

// bandClasses colours each observance's campaigns alike and the commune's
// own campaigns in turn.
func bandClasses(camps []campaigns.Campaign) map[string]string {
	out := map[string]string{}
	n := 0
	for _, c := range camps {
		if c.Observance != "" {
			out[c.ID] = "band-" + c.Observance
			continue
		}
		out[c.ID] = "band-own" + string(rune('1'+n%4))
		n++
	}
	return out
}

func monthBandOf(c campaigns.Campaign, first time.Time, days int, class string, link func(string) string) monthBand {
	mFirst, mLast := first.Format(campaigns.DateLayout), first.AddDate(0, 1, -1).Format(campaigns.DateLayout)
	start, end := max(c.Start, mFirst), min(c.End, mLast)
	x := dayNum(start) - 1
	return monthBand{ID: c.ID, Title: c.Title, Class: class, URL: link(c.ID),
		Start: dmy(c.Start), End: dmy(c.End), X: x, Width: min(dayNum(end), days) - x}
}

// entries groups a day's occurrences by item, in time order.
func entries(in []campaigns.Entry, loc *time.Location) []entryView {
	out := []entryView{}
	at := map[string]int{}
	stations := map[string]map[string]bool{}
	for _, e := range in {
		i, ok := at[e.ItemID]
		if !ok {
			i = len(out)
			at[e.ItemID] = i
			stations[e.ItemID] = map[string]bool{}
			out = append(out, entryView{ItemID: e.ItemID, Title: e.Title, Status: e.Status})
		}
		ev := &out[i]
		if t := e.At.In(loc).Format("15:04"); !slices.Contains(ev.times, t) {
			ev.times = append(ev.times, t)
			ev.Times = strings.Join(ev.times, ", ")
		}
		if ch := "chs." + e.Channel; !slices.Contains(ev.Channels, ch) {
			ev.Channels = append(ev.Channels, ch)
		}
		if e.StationID != "" && !stations[e.ItemID][e.StationID] {
			stations[e.ItemID][e.StationID] = true
			ev.Stations++
		}
	}
	return out
}

// dayNum is the day of the month of a YYYY-MM-DD date.
func dayNum(date string) int {
	if len(date) < 10 {
		return 0
	}
	return int(date[8]-'0')*10 + int(date[9]-'0')
}

// dmy turns YYYY-MM-DD into dd/mm/yyyy, the way dates are written in Vietnam.
func dmy(date string) string {
	if len(date) != 10 {
		return date
	}
	return date[8:] + "/" + date[5:7] + "/" + date[:4]
}
