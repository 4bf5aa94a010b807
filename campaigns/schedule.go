package campaigns

import (
	"fmt"
	"slices"
	"time"

	"github.com/lantoa/lantoa/apperr"
)

// MaxRecurrenceDays bounds a recurrence's from–to span.
const MaxRecurrenceDays = 366

// Schedule is either one moment (At) or a recurrence: times of day between
// two local dates, optionally only on some ISO weekdays (1 = Monday … 7 =
// Sunday).
type Schedule struct {
	At       *time.Time `bson:"at,omitempty" json:"at,omitempty"`
	Times    []string   `bson:"times,omitempty" json:"times,omitempty"`
	From     string     `bson:"from,omitempty" json:"from,omitempty"`
	To       string     `bson:"to,omitempty" json:"to,omitempty"`
	Weekdays []int      `bson:"weekdays,omitempty" json:"weekdays,omitempty"`
}

// Recurring reports whether the schedule is a recurrence.
func (s Schedule) Recurring() bool { return s.At == nil }

// Validate checks the schedule's form. now is used to refuse a moment in the
// past; campaign bounds the dates to the campaign's period with a margin of
// CampaignMarginDays on either side ("inside or around its campaign").
func (s Schedule) Validate(now time.Time, loc *time.Location, campaign Campaign) error {
	cs, _ := time.ParseInLocation(DateLayout, campaign.Start, loc)
	ce, _ := time.ParseInLocation(DateLayout, campaign.End, loc)
	lo, hi := cs.AddDate(0, 0, -CampaignMarginDays), ce.AddDate(0, 0, CampaignMarginDays+1)
	if s.At != nil {
		if len(s.Times) > 0 || s.From != "" || s.To != "" || len(s.Weekdays) > 0 {
			return apperr.Invalid("schedule", "give either at, or times with from and to, not both")
		}
		if !s.At.After(now) {
			return apperr.Invalid("schedule.at", "must be in the future")
		}
		if s.At.Before(lo) || !s.At.Before(hi) {
			return apperr.Invalid("schedule.at", "must fall within the campaign (%s – %s) or %d days around it", campaign.Start, campaign.End, CampaignMarginDays)
		}
		return nil
	}
	return s.validateRecurrence(loc, lo, hi, campaign)
}

// CampaignMarginDays is how far before or after its campaign an item may be
// scheduled (announcements before an observance, follow-ups after).
const CampaignMarginDays = 30

func (s Schedule) validateRecurrence(loc *time.Location, lo, hi time.Time, campaign Campaign) error {
	if len(s.Times) == 0 {
		return apperr.Invalid("schedule", "give at (RFC 3339), or times (HH:MM) with from and to")
	}
	if len(s.Times) > 12 {
		return apperr.Invalid("schedule.times", "at most 12 times a day")
	}
	for _, t := range s.Times {
		if _, err := parseClock(t); err != nil {
			return apperr.Invalid("schedule.times", "%q is not a time of day HH:MM", t)
		}
	}
	from, err := ParseDate("schedule.from", s.From)
	if err != nil {
		return err
	}
	to, err := ParseDate("schedule.to", s.To)
	if err != nil {
		return err
	}
	if to.Before(from) {
		return apperr.Invalid("schedule.to", "must not be before schedule.from")
	}
	if int(to.Sub(from).Hours()/24)+1 > MaxRecurrenceDays {
		return apperr.Invalid("schedule.to", "a recurrence spans at most %d days", MaxRecurrenceDays)
	}
	fromL, _ := time.ParseInLocation(DateLayout, s.From, loc)
	toL, _ := time.ParseInLocation(DateLayout, s.To, loc)
	if fromL.Before(lo) || !toL.Before(hi) {
		return apperr.Invalid("schedule.from", "the dates must fall within the campaign (%s – %s) or %d days around it", campaign.Start, campaign.End, CampaignMarginDays)
	}
	seen := map[int]bool{}
	for _, w := range s.Weekdays {
		if w < 1 || w > 7 || seen[w] {
			return apperr.Invalid("schedule.weekdays", "weekdays are distinct ISO numbers 1 (Monday) to 7 (Sunday)")
		}
		seen[w] = true
	}
	return nil
}

// Occurrences returns the schedule's moments in [from, to), in time order.
func (s Schedule) Occurrences(from, to time.Time, loc *time.Location) []time.Time {
	if s.At != nil {
		if !s.At.Before(from) && s.At.Before(to) {
			return []time.Time{s.At.In(loc)}
		}
		return nil
	}
	times := make([]time.Duration, 0, len(s.Times))
	for _, t := range s.Times {
		if d, err := parseClock(t); err == nil {
			times = append(times, d)
		}
	}
	slices.Sort(times)
	first, err1 := time.ParseInLocation(DateLayout, s.From, loc)
	last, err2 := time.ParseInLocation(DateLayout, s.To, loc)
	if err1 != nil || err2 != nil {
		return nil
	}
	if f := from.In(loc); f.After(first) {
		first = time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	}
	var out []time.Time
	for day := first; !day.After(last) && day.Before(to); day = day.AddDate(0, 0, 1) {
		if len(s.Weekdays) > 0 && !slices.Contains(s.Weekdays, isoWeekday(day)) {
			continue
		}
		for _, d := range times {
			at := time.Date(day.Year(), day.Month(), day.Day(), int(d.Hours()), int(d.Minutes())%60, 0, 0, loc)
			if !at.Before(from) && at.Before(to) {
				out = append(out, at)
			}
		}
	}
	return out
}

// parseClock parses "HH:MM" (00:00–23:59) into the duration since midnight.
func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("bad time of day %q", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func isoWeekday(t time.Time) int {
	if w := int(t.Weekday()); w != 0 {
		return w
	}
	return 7
}
