package campaigns

import (
	"context"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lantoa/lantoa/store"
	"github.com/lantoa/lantoa/usertext"
)

// MaxICSDays is the longest range the iCalendar feed serves: the whole
// 2026–2030 programme fits.
const MaxICSDays = 1900

// ICS writes the caller's calendar for [from, to] as an RFC 5545 calendar:
// campaigns and milestones as all-day events (DTEND exclusive) with stable
// UIDs, so a subscribed phone calendar updates events instead of duplicating
// them.
func (s *Service) ICS(ctx context.Context, w io.Writer, from, to string) error {
	fromT, toT, err := CalendarRange(from, to, MaxICSDays)
	if err != nil {
		return err
	}
	camps, err := s.ListCampaigns(ctx, from, to)
	if err != nil {
		return err
	}
	cal := ics.NewCalendarFor("Lan Tỏa")
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Lan Tỏa//Lịch truyền thông//VI")
	cal.SetXWRCalName("Lan Tỏa – Lịch truyền thông phòng, chống bạo lực trên cơ sở giới")
	cal.SetXWRTimezone(s.loc.String())
	for _, c := range camps {
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
	for y := fromT.Year(); y <= toT.Year(); y++ {
		date, m := reportDeadline(y)
		if date < from || date > to {
			continue
		}
		d, _ := time.Parse(DateLayout, date)
		sc, _ := store.ScopeFrom(ctx)
		ev := cal.AddEvent(sc.CommuneID + "-" + m.Code + "-" + date + "@lantoa")
		ev.SetDtStampTime(d)
		ev.SetAllDayStartAt(d)
		ev.SetAllDayEndAt(d.AddDate(0, 0, 1))
		ev.SetSummary(m.Title)
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows) // RFC 5545 wants CRLF; the library defaults to LF on Unix
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
