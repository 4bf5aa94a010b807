package campaigns

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/lantoa/lantoa/apperr"
)

// MaxCalendarDays is the longest range GET /api/v1/calendar serves.
const MaxCalendarDays = 400

// CalendarQuery selects a range of days and, optionally, one campaign,
// channel or station.
type CalendarQuery struct {
	From, To   string
	CampaignID string
	Channel    string
	StationID  string
}

// Calendar is one entry per day of the range (SPEC §5).
type Calendar struct {
	From string `json:"from"`
	To   string `json:"to"`
	Days []Day  `json:"days"`
	// Campaigns are the campaigns overlapping the range, as read to build
	// it: the month page lays them out without reading them again.
	Campaigns []Campaign `json:"-"`
}

// Day is one local calendar date.
type Day struct {
	Date       string        `json:"date"`
	Campaigns  []CampaignRef `json:"campaigns"`
	Milestones []Milestone   `json:"milestones"`
	Entries    []Entry       `json:"entries"`
}

// CampaignRef names a campaign active on a day.
type CampaignRef struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Observance string `json:"observance,omitempty"`
}

// Milestone is a dated duty of the programme, such as the yearly report.
type Milestone struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// Entry is one scheduled occurrence of a content item on one channel.
type Entry struct {
	ItemID    string    `json:"item_id"`
	Title     string    `json:"title"`
	Kind      string    `json:"kind"`
	Channel   string    `json:"channel"`
	At        time.Time `json:"at"`
	Status    string    `json:"status"`
	StationID string    `json:"station_id,omitempty"`
}

// reportDeadline is the day before 25/11, when the yearly results report to
// the commune People's Committee is due (the plan asks for it "trước ngày 25
// tháng 11 hằng năm").
func reportDeadline(year int) (date string, m Milestone) {
	y := strconv.Itoa(year)
	return y + "-11-24", Milestone{Code: "annual-report",
		Title: "Hạn cuối gửi Báo cáo kết quả thực hiện năm " + y + " lên UBND xã (trước ngày 25/11)"}
}

// Calendar returns the caller's calendar for q. The range is inclusive and at
// most MaxCalendarDays long.
func (s *Service) Calendar(ctx context.Context, q CalendarQuery) (Calendar, error) {
	from, to, err := CalendarRange(q.From, q.To, MaxCalendarDays)
	if err != nil {
		return Calendar{}, err
	}
	if q.Channel != "" && !known(Channels, q.Channel) {
		return Calendar{}, apperr.Invalid("channel", "unknown channel %q", q.Channel)
	}
	camps, err := s.ListCampaigns(ctx, q.From, q.To)
	if err != nil {
		return Calendar{}, err
	}
	entries, err := s.entries(ctx, q, from, to)
	if err != nil {
		return Calendar{}, err
	}
	cal := Calendar{From: q.From, To: q.To, Campaigns: camps}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		day := Day{Date: d.Format(DateLayout), Campaigns: []CampaignRef{}, Milestones: []Milestone{}, Entries: []Entry{}}
		for _, c := range camps {
			if c.Start <= day.Date && day.Date <= c.End && (q.CampaignID == "" || q.CampaignID == c.ID) {
				day.Campaigns = append(day.Campaigns, CampaignRef{ID: c.ID, Title: c.Title, Observance: c.Observance})
			}
		}
		if e := entries[day.Date]; e != nil {
			day.Entries = e
		}
		if date, m := reportDeadline(d.Year()); date == day.Date {
			day.Milestones = append(day.Milestones, m)
		}
		cal.Days = append(cal.Days, day)
	}
	return cal, nil
}

// CalendarRange parses an inclusive from–to range of at most maxDays days.
func CalendarRange(fromS, toS string, maxDays int) (from, to time.Time, err error) {
	if fromS == "" || toS == "" {
		return from, to, apperr.Invalid("from", "from and to are required (YYYY-MM-DD)")
	}
	if from, err = ParseDate("from", fromS); err != nil {
		return
	}
	if to, err = ParseDate("to", toS); err != nil {
		return
	}
	if to.Before(from) {
		return from, to, apperr.Invalid("to", "must not be before from")
	}
	if days := int(to.Sub(from).Hours()/24) + 1; days > maxDays {
		return from, to, apperr.Invalid("to", "the range is %d days; at most %d are allowed", days, maxDays)
	}
	return from, to, nil
}

// entries expands the schedules of the caller's items over [from, to] into
// calendar entries by local date, in time order.
func (s *Service) entries(ctx context.Context, q CalendarQuery, from, to time.Time) (map[string][]Entry, error) {
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, s.loc).AddDate(0, 0, 1)
	items, err := s.calendarItems(ctx, q.CampaignID, start, end, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out := map[string][]Entry{}
	for _, it := range items {
		if q.StationID != "" && !slices.Contains(it.StationIDs, q.StationID) {
			continue
		}
		for _, at := range it.Schedule.Occurrences(start, end, s.loc) {
			for _, ch := range it.Channels {
				if q.Channel != "" && ch != q.Channel {
					continue
				}
				day := at.Format(DateLayout)
				out[day] = append(out[day], itemEntries(it, ch, at, q.StationID)...)
			}
		}
	}
	for _, list := range out {
		slices.SortStableFunc(list, func(a, b Entry) int { return a.At.Compare(b.At) })
	}
	return out, nil
}

// calendarItems returns every item whose schedule can fall in [start, end)
// (the local dates from–to): a moment inside it, or a recurrence whose dates
// overlap it. Unlike ListItems it has no listing limit (five years of a
// commune's items are thousands).
func (s *Service) calendarItems(ctx context.Context, campaignID string, start, end time.Time, from, to string) ([]Item, error) {
	all, err := s.communeItems(ctx)
	if err != nil {
		return nil, err
	}
	out := []Item{}
	for _, it := range all {
		if campaignID != "" && it.CampaignID != campaignID {
			continue
		}
		if sc := it.Schedule; sc.At != nil && !sc.At.Before(start) && sc.At.Before(end) ||
			sc.At == nil && sc.From <= to && sc.To >= from {
			out = append(out, it)
		}
	}
	return out, nil
}

// itemEntries is one entry per station for a script, else one.
func itemEntries(it Item, channel string, at time.Time, onlyStation string) []Entry {
	e := Entry{ItemID: it.ID, Title: it.Title, Kind: it.Kind, Channel: channel, At: at, Status: it.Status}
	if channel != "loudspeaker" {
		return []Entry{e}
	}
	var out []Entry
	for _, st := range it.StationIDs {
		if onlyStation == "" || st == onlyStation {
			e.StationID = st
			out = append(out, e)
		}
	}
	return out
}
