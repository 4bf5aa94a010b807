package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lantoa/lantoa/campaigns"
)

// preview is how an item will look where it goes out: a post on a page, a
// script read aloud (with its reading time), a leaflet, an event notice. The
// server renders it from the form; editor.js keeps it current while typing.
type preview struct {
	Kind, Title, Body, Link, Place string
	// WhenOnce and WhenRepeat are the schedule in words as one moment and
	// as a recurrence; Mode says which one the item has.
	Mode, WhenOnce, WhenRepeat string
	Attendance                 string
	Channels                   []string // catalogue keys
	// Words and ReadTime are the script's length and its reading time at
	// WPM words a minute.
	Words    int
	ReadTime string
	WPM      int
	Commune  string
	// Photos are a post's photos; LeafletImage the address of a leaflet's
	// image (its render or a live preview), "" without a photo.
	Photos       []photoRef
	LeafletImage string
	v            *view
}

// When is the schedule in words, of the preview's mode.
func (p preview) When() string {
	if p.Mode == "repeat" {
		return p.WhenRepeat
	}
	return p.WhenOnce
}

// T translates for the preview's template.
func (p preview) T(key string, args ...any) string { return p.v.T(key, args...) }

// readSeconds is the time to read words aloud at wpm words a minute,
// rounded up to the second (SPEC §3F: words ÷ WPM × 60).
func readSeconds(words, wpm int) int {
	if wpm <= 0 {
		return 0
	}
	return (words*60 + wpm - 1) / wpm
}

// wordCount counts the words of a text as a reader does: runs of non-space.
func wordCount(s string) int { return len(strings.Fields(s)) }

// duration writes seconds as "1 phút 20 giây" in the page's language.
func (v *view) duration(sec int) string {
	switch {
	case sec < 60:
		return v.T("read.sec", sec)
	case sec%60 == 0:
		return v.T("read.min", sec/60)
	}
	return v.T("read.min_sec", sec/60, sec%60)
}

// previewOf builds the preview of a form as typed; commune names the page
// a post appears on.
func (s *Server) previewOf(v *view, f itemForm, commune string) preview {
	p := preview{Kind: f.Kind, Title: strings.TrimSpace(f.Title), Body: strings.TrimSpace(f.Body), Link: f.Link,
		Place: strings.TrimSpace(f.Place), Attendance: f.Attendance, WPM: s.ReadWPM, Commune: commune, v: v}
	for _, ch := range campaigns.Channels {
		if f.Channels[ch.Code] {
			p.Channels = append(p.Channels, "chs."+ch.Code)
		}
	}
	p.Words = wordCount(p.Body)
	p.ReadTime = v.duration(readSeconds(p.Words, s.ReadWPM))
	p.Mode = f.Mode
	p.WhenOnce, p.WhenRepeat = s.formWhen(v, f)
	return p
}

// formWhen writes a form's schedule in words, both as one moment and as a
// recurrence (the page shows the one of the chosen mode), each "" while
// incomplete.
func (s *Server) formWhen(v *view, f itemForm) (once, repeat string) {
	if at, err := time.ParseInLocation(campaigns.DateLayout+" 15:04", f.AtDate+" "+f.AtTime, s.Location); err == nil {
		once = s.scheduleText(v, campaigns.Schedule{At: &at})
	}
	if len(f.Times) > 0 && f.From != "" && f.To != "" {
		sc := campaigns.Schedule{Times: f.Times, From: f.From, To: f.To}
		for w := 1; w <= 7; w++ {
			if f.Weekdays[strconv.Itoa(w)] {
				sc.Weekdays = append(sc.Weekdays, w)
			}
		}
		repeat = s.scheduleText(v, sc)
	}
	return once, repeat
}

// scheduleText writes a schedule the way the commune says it: "Thứ Tư,
// 25/11/2026 lúc 06:00", or "06:00, 17:30 hằng ngày từ 23/11/2026 đến
// 27/11/2026", or "… vào T2, T4 từ … đến …".
func (s *Server) scheduleText(v *view, sc campaigns.Schedule) string {
	if sc.At != nil {
		at := sc.At.In(s.Location)
		return v.T("sched.once", v.T("wd.long."+strconv.Itoa(isoWeekday(at))), at.Format("02/01/2006"), at.Format("15:04"))
	}
	times := strings.Join(sc.Times, ", ")
	if len(sc.Weekdays) == 0 || len(sc.Weekdays) == 7 {
		return v.T("sched.daily", times, dmy(sc.From), dmy(sc.To))
	}
	days := make([]string, len(sc.Weekdays))
	for i, w := range sc.Weekdays {
		days[i] = v.T("wd." + strconv.Itoa(w))
	}
	return v.T("sched.weekly", times, strings.Join(days, ", "), dmy(sc.From), dmy(sc.To))
}

func isoWeekday(t time.Time) int {
	if w := int(t.Weekday()); w != 0 {
		return w
	}
	return 7
}

// auditRow is one line of an item's history.
type auditRow struct {
	At, Actor, Action, Detail string
}

var backToDraft = regexp.MustCompile(`\(was approved: back to draft, (\d+) pending deliveries cancelled\)$`)

// auditRows turns audit entries into the history's lines. Details are shown
// where they say something the action does not: a rejection's reason, and
// that an edit took an approved item back to draft.
func (s *Server) auditRows(v *view, list []campaigns.AuditEntry) []auditRow {
	out := make([]auditRow, 0, len(list))
	for _, e := range list {
		r := auditRow{At: e.At.In(s.Location).Format("02/01/2006 15:04"), Actor: e.Actor,
			Action: v.TOr("audit."+e.Action, e.Action)}
		switch {
		case e.Action == "item.reject":
			r.Detail = e.Detail
		case e.Action == "item.update" || e.Action == "item.audio.set" || e.Action == "item.audio.remove":
			if m := backToDraft.FindStringSubmatch(e.Detail); m != nil {
				n, _ := strconv.Atoi(m[1])
				r.Detail = v.T("audit.back_to_draft", n)
				if n == 0 {
					r.Detail = v.T("audit.back_to_draft_none")
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// kindOptions are the item kinds to choose from.
func kindOptions() []option {
	out := make([]option, 0, len(campaigns.Kinds))
	for _, k := range campaigns.Kinds {
		out = append(out, option{Value: k, Key: "kind." + k})
	}
	return out
}

// channelChoice is a channel checkbox of the editor, with the kinds that
// may use it (the page shows only the current kind's).
type channelChoice struct {
	Value, Key string
	Kinds      string // CSS classes: "k-post k-leaflet"
}

func channelChoices() []channelChoice {
	var out []channelChoice
	for _, ch := range campaigns.Channels {
		var kinds []string
		for _, k := range campaigns.Kinds {
			if allowed := campaigns.AllowedChannels(k); len(allowed) > 1 && slices.Contains(allowed, ch.Code) {
				kinds = append(kinds, "k-"+k)
			}
		}
		if len(kinds) > 0 {
			out = append(out, channelChoice{Value: ch.Code, Key: "channel." + ch.Code, Kinds: strings.Join(kinds, " ")})
		}
	}
	return out
}

// weekdayOptions are the weekday checkboxes, Monday (T2) first.
func weekdayOptions() []option {
	out := make([]option, 7)
	for i := range out {
		n := strconv.Itoa(i + 1)
		out[i] = option{Value: n, Key: "wd." + n}
	}
	return out
}

// longDate writes a date (YYYY-MM-DD) with its weekday in the page's
// language: "Thứ Năm, 26/11/2026", "Thursday, 26/11/2026".
func (v *view) longDate(day string) string {
	t, err := time.Parse(campaigns.DateLayout, day)
	if err != nil {
		return day
	}
	return v.T("wd.long."+strconv.Itoa((int(t.Weekday())+6)%7+1)) + ", " + t.Format("02/01/2006")
}
