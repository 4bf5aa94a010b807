package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
)

// itemForm is the item editor's fields as typed, and the errors to show next
// to them (catalogue messages by field, with their arguments).
type itemForm struct {
	// Version is the version the form was opened on: saving a form opened on
	// an older version is refused instead of overwriting someone's edit.
	Version string
	// Key is a new item form's idempotency key: the form saves one item
	// once, however often it is sent (a retry after an error, a double tap).
	Key        string
	Kind       string
	CampaignID string
	Title      string
	Body       string
	Audiences  map[string]bool
	Channels   map[string]bool
	// Mode is "once" (one moment: AtDate and AtTime) or "repeat" (Times
	// between From and To, on Weekdays or every day).
	Mode           string
	AtDate, AtTime string
	Times          []string
	From, To       string
	Weekdays       map[string]bool
	Stations       map[string]bool
	Link           string
	Place          string
	Attendance     string
	// A leaflet's own fields: its photo (an upload id: chosen now or
	// before), hotline and template; the leaflet's title and body are the
	// item's.
	PhotoID, Hotline, Template string
	// MediaIDs are a post's photos kept from before (uploads of the commune);
	// new ones arrive as files.
	MediaIDs []string
	errs     map[string]msg
}

// msg is a catalogue key with its arguments, translated when the page is
// rendered.
type msg struct {
	Key  string
	Args []any
}

// minTimeSlots is how many time-of-day inputs a recurrence offers at least.
const minTimeSlots = 4

var clockPattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

func newItemForm(kind string) itemForm {
	return itemForm{Kind: kind, Mode: "once", Audiences: map[string]bool{}, Channels: map[string]bool{},
		Weekdays: map[string]bool{}, Stations: map[string]bool{}, errs: map[string]msg{}, Template: media.TemplatePhotoTop}
}

// newFormKey makes a new item form's idempotency key.
func newFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// itemFormOf fills the form from a stored item, its moment in loc.
func itemFormOf(it campaigns.Item, loc *time.Location) itemForm {
	f := newItemForm(it.Kind)
	f.Version, f.CampaignID, f.Title, f.Body = strconv.Itoa(it.Version), it.CampaignID, it.Title, it.Body
	f.Link, f.Place, f.MediaIDs = it.Link, it.Place, slices.Clone(it.MediaIDs)
	if it.ExpectedAttendance > 0 {
		f.Attendance = strconv.Itoa(it.ExpectedAttendance)
	}
	setAll(f.Audiences, it.Audiences)
	setAll(f.Channels, it.Channels)
	setAll(f.Stations, it.StationIDs)
	if at := it.Schedule.At; at != nil {
		f.AtDate, f.AtTime = at.In(loc).Format(campaigns.DateLayout), at.In(loc).Format("15:04")
	} else {
		f.Mode, f.Times, f.From, f.To = "repeat", slices.Clone(it.Schedule.Times), it.Schedule.From, it.Schedule.To
		for _, w := range it.Schedule.Weekdays {
			f.Weekdays[strconv.Itoa(w)] = true
		}
	}
	return f
}

func setAll(set map[string]bool, keys []string) {
	for _, k := range keys {
		set[k] = true
	}
}

// TimeSlots are the recurrence's time inputs: the times typed, then empty
// ones up to minTimeSlots (and always one spare).
func (f itemForm) TimeSlots() []string {
	out := slices.Clone(f.Times)
	for len(out) < minTimeSlots {
		out = append(out, "")
	}
	if len(f.Times) >= minTimeSlots {
		out = append(out, "")
	}
	return out
}

// parseItemForm reads a posted item form for an item of kind. Only the
// fields of that kind are taken (the page hides the others), and a kind that
// goes out on one channel only gets it without asking. Errors found here are
// in f.errs; the input is then not to be used.
func parseItemForm(form url.Values, kind string, loc *time.Location) (campaigns.ItemInput, itemForm) {
	f := newItemForm(kind)
	f.Version, f.CampaignID, f.Key = form.Get("version"), form.Get("campaign_id"), form.Get("form_key")
	f.Title, f.Body = form.Get("title"), strings.ReplaceAll(form.Get("body"), "\r\n", "\n")
	f.Link, f.Place, f.Attendance = strings.TrimSpace(form.Get("link")), form.Get("place"), strings.TrimSpace(form.Get("expected_attendance"))
	f.PhotoID, f.Hotline, f.Template = form.Get("photo_id"), strings.ReplaceAll(form.Get("hotline"), "\r\n", " "), form.Get("template")
	for _, id := range form["media_ids"] {
		if id != "" && !slices.Contains(f.MediaIDs, id) {
			f.MediaIDs = append(f.MediaIDs, id)
		}
	}
	setAll(f.Audiences, form["audiences"])
	allowed := campaigns.AllowedChannels(kind)
	if len(allowed) == 1 {
		f.Channels[allowed[0]] = true
	} else {
		for _, ch := range form["channels"] {
			if slices.Contains(allowed, ch) {
				f.Channels[ch] = true
			}
		}
	}
	if kind == campaigns.KindScript {
		setAll(f.Stations, form["station_ids"])
	}
	audiences, channels, stations := keysIn(f.Audiences, codesOf(campaigns.Audiences)), keysIn(f.Channels, allowed), keysIn(f.Stations, form["station_ids"])
	in := campaigns.ItemInput{CampaignID: &f.CampaignID, Title: &f.Title, Body: &f.Body,
		Audiences: &audiences, Channels: &channels, StationIDs: &stations}
	f.required(map[string]string{"title": f.Title, "body": f.Body, "campaign_id": f.CampaignID})
	if len(channels) == 0 {
		f.errs["channels"] = msg{Key: "ierr.channels"}
	}
	if kind == campaigns.KindScript && len(stations) == 0 {
		f.errs["station_ids"] = msg{Key: "ierr.station_ids"}
	}
	f.parseKindFields(&in)
	f.Mode = form.Get("mode")
	sched := f.parseSchedule(form, loc)
	in.Schedule = &sched
	return in, f
}

// parseKindFields reads the link of a post and the place and expected
// attendance of an event; other kinds have none.
func (f *itemForm) parseKindFields(in *campaigns.ItemInput) {
	link, place, attendance := "", "", 0
	switch f.Kind {
	case campaigns.KindPost:
		link = f.Link
	case campaigns.KindEvent:
		place = f.Place
		f.required(map[string]string{"place": place})
		if f.Attendance != "" {
			n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(f.Attendance, ".", ""), ",", ""))
			if err != nil || n < 0 {
				f.errs["expected_attendance"] = msg{Key: "ierr.expected_attendance"}
			}
			attendance = n
		}
	}
	in.Link, in.Place, in.ExpectedAttendance = &link, &place, &attendance
	mediaIDs := []string{}
	switch f.Kind {
	case campaigns.KindPost:
		mediaIDs = slices.Clone(f.MediaIDs)
	case campaigns.KindLeaflet:
		if !slices.Contains(media.Templates(), f.Template) {
			f.Template = media.TemplatePhotoTop
		}
	}
	in.MediaIDs = &mediaIDs
}

// parseSchedule reads one moment (a local date and time) or a recurrence.
func (f *itemForm) parseSchedule(form url.Values, loc *time.Location) campaigns.Schedule {
	if f.Mode != "repeat" {
		f.Mode = "once"
		f.AtDate, f.AtTime = strings.TrimSpace(form.Get("at_date")), strings.TrimSpace(form.Get("at_time"))
		at, err := time.ParseInLocation(campaigns.DateLayout+" 15:04", f.AtDate+" "+f.AtTime, loc)
		if err != nil {
			f.errs["at"] = msg{Key: "ierr.at_format"}
			return campaigns.Schedule{}
		}
		return campaigns.Schedule{At: &at}
	}
	for _, t := range form["times"] {
		t = strings.TrimSpace(t)
		if len(t) == 8 && strings.HasSuffix(t, ":00") { // a time input with seconds
			t = t[:5]
		}
		if t != "" && !slices.Contains(f.Times, t) {
			f.Times = append(f.Times, t)
		}
	}
	slices.Sort(f.Times)
	for _, t := range f.Times {
		if !clockPattern.MatchString(t) {
			f.errs["times"] = msg{Key: "ierr.times_format"}
		}
	}
	if len(f.Times) == 0 {
		f.errs["times"] = msg{Key: "ierr.times_required"}
	}
	f.From, f.To = strings.TrimSpace(form.Get("from")), strings.TrimSpace(form.Get("to"))
	f.required(map[string]string{"from": f.From, "to": f.To})
	if reversed(f.From, f.To) {
		f.errs["to"] = msg{Key: "ierr.to_before"}
	}
	s := campaigns.Schedule{Times: f.Times, From: f.From, To: f.To}
	for _, w := range form["weekdays"] {
		if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 7 && !f.Weekdays[w] {
			f.Weekdays[w] = true
			s.Weekdays = append(s.Weekdays, n)
		}
	}
	slices.Sort(s.Weekdays)
	if len(s.Weekdays) == 7 {
		s.Weekdays = nil // every day
	}
	return s
}

func (f *itemForm) required(fields map[string]string) {
	for field, v := range fields {
		if strings.TrimSpace(v) == "" {
			f.errs[field] = msg{Key: "err.required"}
		}
	}
}

// keysIn returns the keys of set in the order of order.
func keysIn(set map[string]bool, order []string) []string {
	out := []string{}
	for _, k := range order {
		if set[k] && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func codesOf(list []campaigns.Code) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return out
}

// itemFields maps the domain's validation fields to the form's.
var itemFields = map[string]string{
	"title": "title", "body": "body", "campaign_id": "campaign_id", "audiences": "audiences",
	"channels": "channels", "station_ids": "station_ids", "link": "link", "place": "place",
	"expected_attendance": "expected_attendance", "schedule": "schedule", "schedule.at": "at", "media_ids": "photos",
	"schedule.times": "times", "schedule.from": "from", "schedule.to": "to", "schedule.weekdays": "weekdays",
}

// fieldError puts a domain validation error next to its field; camp gives
// the campaign's dates for the messages that name them. It reports false for
// any other error.
func (f *itemForm) fieldError(err error, camp campaigns.Campaign) bool {
	var v *apperr.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	field, ok := itemFields[v.Field]
	if !ok {
		f.errs["form"] = msg{Key: "err.invalid"}
		return true
	}
	m := msg{Key: "ierr." + field}
	switch {
	case field == "at" && strings.Contains(v.Reason, "future"):
		m.Key = "ierr.at_past"
	case (field == "at" || field == "from" || field == "to") && strings.Contains(v.Reason, "campaign"):
		m = msg{Key: "ierr.dates_campaign", Args: []any{dmy(camp.Start), dmy(camp.End), campaigns.CampaignMarginDays}}
	case field == "at":
		m.Key = "ierr.at_format"
	case field == "to" && strings.Contains(v.Reason, "before"):
		m.Key = "ierr.to_before"
	case field == "to" && strings.Contains(v.Reason, "spans"):
		m = msg{Key: "ierr.to_span", Args: []any{campaigns.MaxRecurrenceDays}}
	}
	f.errs[field] = m
	return true
}

// unchanged reports whether saving in would leave it as it is, so that
// pressing "submit" on an untouched draft does not make a new version (and
// an approved item is not sent back to draft for nothing).
func unchanged(in campaigns.ItemInput, it campaigns.Item) bool {
	clean := func(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }
	same := *in.CampaignID == it.CampaignID && clean(*in.Title) == it.Title && clean(*in.Body) == it.Body &&
		sameSet(*in.Audiences, it.Audiences) && sameSet(*in.Channels, it.Channels) &&
		sameSet(*in.StationIDs, it.StationIDs) && *in.Link == it.Link && clean(*in.Place) == it.Place &&
		slices.Equal(*in.MediaIDs, it.MediaIDs) &&
		*in.ExpectedAttendance == it.ExpectedAttendance
	a, b := *in.Schedule, it.Schedule
	sameAt := (a.At == nil) == (b.At == nil) && (a.At == nil || a.At.Equal(*b.At))
	wa, wb := slices.Sorted(slices.Values(a.Weekdays)), slices.Sorted(slices.Values(b.Weekdays))
	return same && sameAt && sameSet(a.Times, b.Times) && a.From == b.From && a.To == b.To && slices.Equal(wa, wb)
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// reversed reports whether two dates of a form are both valid and in the
// wrong order. The forms say it with their other errors, rather than after
// those are fixed; the service checks it again, with its other date rules.
func reversed(from, to string) bool {
	start, err := campaigns.ParseDate("from", from)
	if err != nil {
		return false
	}
	end, err := campaigns.ParseDate("to", to)
	return err == nil && end.Before(start)
}
