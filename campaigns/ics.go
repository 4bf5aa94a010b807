package campaigns

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// MaxICSDays is the longest range the iCalendar feed serves: the whole
// 2026–2030 programme fits.
const MaxICSDays = 1900

// The feed lists occurrences only from OccurrencesBefore before today to
// OccurrencesAfter after it (within the range asked for): a subscribed
// calendar looks at the weeks around now, and every slot of a range of
// years would make a feed of megabytes that phones fetch every few hours.
const (
	OccurrencesBefore = 31 * 24 * time.Hour
	OccurrencesAfter  = 92 * 24 * time.Hour
)

// occurrenceLength is how long an occurrence lasts in the feed: an event
// (a meeting, a contest) two hours, anything else (a slot read aloud, a
// post, leaflets handed out) a quarter of an hour.
func occurrenceLength(kind string) time.Duration {
	if kind == KindEvent {
		return 2 * time.Hour
	}
	return 15 * time.Minute
}

// ICSQuery selects what the feed holds for its subscriber.
type ICSQuery struct {
	From, To string
	// CampaignID, Channel and StationID filter as the calendar's do.
	CampaignID, Channel, StationID string
	// Operator limits the occurrences to the loudspeaker slots of Stations
	// (an operator's stations; none when empty) and leaves the report
	// milestone out.
	Operator bool
	Stations []string
	// StationNames names stations in the events (id → name).
	StationNames map[string]string
	// ByHand are the channels posted by hand here (SPEC §6.2): an approved
	// occurrence on one of them carries a reminder (VALARM) at its time,
	// and ManualURL, the page where it is posted.
	ByHand    []string
	ManualURL string
}

// ICS writes the caller's calendar for [q.From, q.To] as an RFC 5545
// calendar: campaigns and milestones as all-day events (DTEND exclusive),
// and the occurrences of approved items (submitted ones too, as
// tentative, except for an operator) near today as timed events in UTC.
// Every event has a stable UID (an occurrence's is its item and its UTC
// time), so a subscribed phone calendar updates events instead of
// duplicating them.
//
// Without From and To it covers the year before and the year after today,
// so that a subscribed calendar sees the whole current cycle.
func (s *Service) ICS(ctx context.Context, w io.Writer, q ICSQuery) error {
	if q.From == "" && q.To == "" {
		y := s.now().In(s.loc).Year()
		q.From, q.To = strconv.Itoa(y-1)+"-01-01", strconv.Itoa(y+1)+"-12-31"
	}
	fromT, toT, err := CalendarRange(q.From, q.To, MaxICSDays)
	if err != nil {
		return err
	}
	if q.Channel != "" && !known(Channels, q.Channel) {
		return apperr.Invalid("channel", "unknown channel %q", q.Channel)
	}
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	camps, err := s.ListCampaigns(ctx, q.From, q.To)
	if err != nil {
		return err
	}
	cal := ics.NewCalendarFor("Lan Tỏa")
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Lan Tỏa//Lịch truyền thông//VI")
	cal.SetXWRCalName("Lan Tỏa – Lịch truyền thông phòng, chống bạo lực trên cơ sở giới")
	cal.SetXWRTimezone(s.loc.String())
	for _, c := range camps {
		if q.CampaignID != "" && c.ID != q.CampaignID {
			continue
		}
		start, _ := time.Parse(DateLayout, c.Start)
		end, _ := time.Parse(DateLayout, c.End)
		ev := cal.AddEvent(c.ID + "@lantoa")
		ev.SetDtStampTime(c.UpdatedAt)
		ev.SetAllDayStartAt(start)
		ev.SetAllDayEndAt(end.AddDate(0, 0, 1))
		ev.SetSummary(icsText(c.Title))
		if c.LeadUnit != "" {
			ev.SetDescription(icsText("Đơn vị chủ trì: " + c.LeadUnit))
		}
	}
	for y := fromT.Year(); y <= toT.Year() && !q.Operator; y++ {
		date, m := reportDeadline(y)
		if date < q.From || date > q.To {
			continue
		}
		d, _ := time.Parse(DateLayout, date)
		ev := cal.AddEvent(sc.CommuneID + "-" + m.Code + "-" + date + "@lantoa")
		ev.SetDtStampTime(d)
		ev.SetAllDayStartAt(d)
		ev.SetAllDayEndAt(d.AddDate(0, 0, 1))
		ev.SetSummary(m.Title)
	}
	if err := s.icsOccurrences(ctx, cal, q, fromT, toT); err != nil {
		return err
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows) // RFC 5545 wants CRLF; the library defaults to LF on Unix
}

// icsOccurrences adds the occurrences of the subscriber's items between
// the local dates from and to, within the window around today.
func (s *Service) icsOccurrences(ctx context.Context, cal *ics.Calendar, q ICSQuery, from, to time.Time) error {
	now := s.now()
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.loc)
	if early := now.Add(-OccurrencesBefore); start.Before(early) {
		start = early
	}
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, s.loc).AddDate(0, 0, 1)
	if late := now.Add(OccurrencesAfter); end.After(late) {
		end = late
	}
	if !start.Before(end) {
		return nil
	}
	items, err := s.calendarItems(ctx, q.CampaignID, start, end, start.In(s.loc).Format(DateLayout), end.In(s.loc).Format(DateLayout))
	if err != nil {
		return err
	}
	for _, it := range items {
		channels, stations, ok := q.concerns(it)
		if !ok {
			continue
		}
		for _, at := range it.Schedule.Occurrences(start, end, s.loc) {
			ev := cal.AddEvent(fmt.Sprintf("occ-%s-%s@lantoa", it.ID, at.UTC().Format("20060102T150405Z")))
			ev.SetDtStampTime(it.UpdatedAt)
			ev.SetSequence(it.Version)
			ev.SetStartAt(at)
			ev.SetEndAt(at.Add(occurrenceLength(it.Kind)))
			ev.SetSummary(icsText(kindWord(it.Kind) + ": " + it.Title))
			ev.SetDescription(icsText(q.describe(it, channels, stations)))
			ev.SetStatus(ics.ObjectStatusConfirmed)
			if it.Status == StatusSubmitted {
				ev.SetStatus(ics.ObjectStatusTentative)
			}
			switch {
			case it.Place != "":
				ev.SetLocation(icsText(it.Place))
			case q.Operator && len(stations) > 0:
				ev.SetLocation(icsText(strings.Join(q.names(stations), ", ")))
			}
			q.remind(ev, it, channels)
		}
	}
	return nil
}

// remind adds to an approved occurrence going out on a channel posted by
// hand a reminder at its time (a phone calendar rings) that says where to
// post it, and the page to post it from.
func (q ICSQuery) remind(ev *ics.VEvent, it Item, channels []string) {
	var byHand []string
	for _, ch := range channels {
		if slices.Contains(q.ByHand, ch) {
			byHand = append(byHand, codeName(Channels, ch))
		}
	}
	if len(byHand) == 0 || it.Status != StatusApproved {
		return
	}
	if q.ManualURL != "" {
		ev.SetURL(q.ManualURL)
	}
	a := ev.AddAlarm()
	a.SetAction(ics.ActionDisplay)
	a.SetTrigger("PT0M")
	a.SetProperty(ics.ComponentPropertyDescription, icsText("Đến giờ đăng tay lên "+strings.Join(byHand, ", ")+": "+it.Title))
}

// concerns reports whether the subscriber is concerned with it, and on
// which of its channels and stations: an operator with the approved
// scripts read at their stations, anyone else with the approved and
// submitted items, within the feed's filters.
func (q ICSQuery) concerns(it Item) (channels, stations []string, ok bool) {
	if it.Status != StatusApproved && (q.Operator || it.Status != StatusSubmitted) {
		return nil, nil, false
	}
	if q.StationID != "" && !slices.Contains(it.StationIDs, q.StationID) {
		return nil, nil, false
	}
	for _, ch := range it.Channels {
		if (q.Channel == "" || ch == q.Channel) && (!q.Operator || ch == "loudspeaker") {
			channels = append(channels, ch)
		}
	}
	if slices.Contains(channels, "loudspeaker") {
		for _, st := range it.StationIDs {
			if (!q.Operator || slices.Contains(q.Stations, st)) && (q.StationID == "" || st == q.StationID) {
				stations = append(stations, st)
			}
		}
	}
	if len(channels) == 0 || (q.Operator && len(stations) == 0) {
		return nil, nil, false
	}
	return channels, stations, true
}

// describe says on which channels and stations an occurrence goes out.
func (q ICSQuery) describe(it Item, channels, stations []string) string {
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = codeName(Channels, ch)
	}
	lines := []string{"Kênh: " + strings.Join(names, ", ")}
	if len(stations) > 0 {
		lines = append(lines, "Cụm loa: "+strings.Join(q.names(stations), ", "))
	}
	if it.Status == StatusSubmitted {
		lines = append(lines, "Đang chờ duyệt.")
	}
	return strings.Join(lines, "\n")
}

// names are the stations' names (their ids when unknown).
func (q ICSQuery) names(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n := q.StationNames[id]; n != "" {
			out[i] = usertext.Strip(n)
		}
	}
	return out
}

// kindWord names an item's kind at the head of an event's summary.
func kindWord(kind string) string {
	switch kind {
	case KindScript:
		return "Phát thanh"
	case KindPost:
		return "Đăng tin"
	case KindLeaflet:
		return "Tờ rơi"
	case KindEvent:
		return "Sự kiện"
	}
	return kind
}

func codeName(list []Code, code string) string {
	for _, c := range list {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// icsText prepares user text for an RFC 5545 TEXT value (§3.3.11): no
// control character but tab (usertext.Strip, for text stored before the
// text rule), and every line break as LF, which the library then writes
// as the escape \n together with \\, \; and \, (ics.ToText). A bare CR would
// otherwise end the content line and let text forge properties.
func icsText(s string) string {
	s = usertext.Strip(s)
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
}
