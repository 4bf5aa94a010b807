package app_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// feed fetches the iCalendar feed with the query as token's holder and
// parses it back, by UID.
func feed(t *testing.T, l *loudspeakers, token, query string) map[string]*ics.VEvent {
	t.Helper()
	r := l.e.Do("GET", "/api/v1/calendar.ics?"+query, token, nil).Want(200)
	cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parsing the feed: %v", err)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		if out[ev.Id()] != nil {
			t.Errorf("UID %s twice", ev.Id())
		}
		out[ev.Id()] = ev
	}
	return out
}

// occurrences lists a feed's timed events as "summary start–end status".
func occurrences(t *testing.T, evs map[string]*ics.VEvent) []string {
	t.Helper()
	var out []string
	for uid, ev := range evs {
		if !strings.HasPrefix(uid, "occ-") {
			continue
		}
		start, err := ev.GetStartAt()
		if err != nil {
			t.Fatalf("%s: DTSTART: %v", uid, err)
		}
		end, err := ev.GetEndAt()
		if err != nil {
			t.Fatalf("%s: DTEND: %v", uid, err)
		}
		if p := ev.GetProperty(ics.ComponentPropertyDtStart); !strings.HasSuffix(p.Value, "Z") {
			t.Errorf("%s: DTSTART %q is not UTC", uid, p.Value)
		}
		hcm := start.In(time.FixedZone("ICT", 7*3600))
		out = append(out, ev.GetProperty(ics.ComponentPropertySummary).Value+" "+hcm.Format("02/01 15:04")+"–"+
			end.In(hcm.Location()).Format("15:04")+" "+ev.GetProperty(ics.ComponentPropertyStatus).Value)
	}
	slices.Sort(out)
	return out
}

// TestICSFeedHasTheSubscribersOccurrences: the feed lists, as timed events
// in UTC with stable UIDs, the broadcasts and posts its subscriber is
// concerned with: an operator the slots of their station, an editor or a
// manager the commune's approved (and submitted, tentative) items, within
// the calendar's filters.
func TestICSFeedHasTheSubscribersOccurrences(t *testing.T) {
	t.Parallel()
	e := apptest.New(t) // Friday 2026-11-20 09:00
	l := setupLoudspeakers(t, e)
	both := l.script(t, "Bản tin sáng", words(30), map[string]any{"times": []string{"06:00"}, "from": "2026-11-23", "to": "2026-11-24"},
		l.a.ID, l.b.ID)
	l.script(t, "Bản tin Xóm Bãi", words(30), map[string]any{"times": []string{"17:30"}, "from": "2026-11-23", "to": "2026-11-23"}, l.b.ID)
	approvedPostAt(t, l, "Bài đăng Facebook", time.Date(2026, 11, 25, 8, 0, 0, 0, e.Config.Location))
	var later campaigns.Item // beyond the 92 days
	e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": "lien-minh-dv-month-2027", "kind": "post", "title": "Bài năm sau",
		"body": "Sau.", "audiences": []string{"residents"}, "channels": []string{"facebook"},
		"schedule": map[string]any{"at": "2027-06-01T08:00:00+07:00"}}).Want(201).JSON(&later)
	e.Do("POST", "/api/v1/items/"+later.ID+"/submit", l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+later.ID+"/approve", l.mgr, nil).Want(200)
	var pending campaigns.Item
	e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "event", "title": "Tọa đàm", "body": "Tọa đàm.",
		"audiences": []string{"residents"}, "channels": []string{"event"}, "place": "Nhà văn hóa Thôn Đông", "expected_attendance": 80,
		"schedule": map[string]any{"at": "2026-11-26T14:00:00+07:00"}}).Want(201).JSON(&pending)
	e.Do("POST", "/api/v1/items/"+pending.ID+"/submit", l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "post", "title": "Bản nháp", "body": "Nháp.",
		"audiences": []string{"residents"}, "channels": []string{"facebook"}, "schedule": map[string]any{"at": "2026-11-27T08:00:00+07:00"}}).Want(201)

	editor := feed(t, l, l.ed, "")
	want := []string{
		"Phát thanh: Bản tin Xóm Bãi 23/11 17:30–17:45 CONFIRMED",
		"Phát thanh: Bản tin sáng 23/11 06:00–06:15 CONFIRMED",
		"Phát thanh: Bản tin sáng 24/11 06:00–06:15 CONFIRMED",
		"Sự kiện: Tọa đàm 26/11 14:00–16:00 TENTATIVE",
		"Đăng tin: Bài đăng Facebook 25/11 08:00–08:15 CONFIRMED",
	}
	if got := occurrences(t, editor); !slices.Equal(got, want) {
		t.Fatalf("editor's occurrences\n%q\nwant\n%q", got, want)
	}
	if editor["lien-minh-gbv-month-2026@lantoa"] == nil || editor["lien-minh-annual-report-2026-11-24@lantoa"] == nil {
		t.Error("the campaigns and the report milestone are gone from the editor's feed")
	}
	uid := "occ-" + both.ID + "-20261122T230000Z@lantoa"
	ev := editor[uid]
	if ev == nil {
		t.Fatalf("no event %s", uid)
	}
	if d := ev.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(d, "Truyền thanh cơ sở") ||
		!strings.Contains(d, "Cụm loa Thôn Đông, Cụm loa Xóm Bãi") {
		t.Errorf("description %q", d)
	}
	if got := occurrences(t, feed(t, l, l.mgr, "from=2026-11-01&to=2026-11-30&channel=facebook")); !slices.Equal(got, want[4:]) {
		t.Errorf("a manager's feed of facebook: %q", got)
	}
	if got := occurrences(t, feed(t, l, l.mgr, "from=2026-11-01&to=2026-11-30&station="+l.a.ID)); !slices.Equal(got, want[1:3]) {
		t.Errorf("a manager's feed of station A: %q", got)
	}

	// An operator: the slots of their station only, where they are read.
	opA := feed(t, l, l.opA, "")
	if got := occurrences(t, opA); !slices.Equal(got, want[1:3]) {
		t.Fatalf("operator A's occurrences %q", got)
	}
	if loc := opA[uid].GetProperty(ics.ComponentPropertyLocation); loc == nil || loc.Value != "Cụm loa Thôn Đông" {
		t.Errorf("operator A's location %+v", loc)
	}
	if opA["lien-minh-annual-report-2026-11-24@lantoa"] != nil || opA["lien-minh-gbv-month-2026@lantoa"] == nil {
		t.Error("an operator's feed has the report milestone, or lacks the campaign")
	}
	if got := occurrences(t, feed(t, l, l.opB, "")); len(got) != 3 || !strings.Contains(strings.Join(got, "|"), "Bản tin Xóm Bãi") {
		t.Errorf("operator B's occurrences %q", got)
	}

	// Through a calendar token, and stable: an edit keeps the UIDs and
	// raises the sequence.
	var sub struct{ Token string }
	e.Do("POST", "/api/v1/me/calendar-token", l.opA, nil).Want(201).JSON(&sub)
	byToken := l.e.Do("GET", "/api/v1/calendar.ics?token="+sub.Token, "", nil).Want(200)
	if !bytes.Contains(byToken.Body, []byte("UID:"+uid)) {
		t.Errorf("the operator's token feed lacks %s", uid)
	}
	seq := ev.GetProperty(ics.ComponentPropertySequence).Value
	e.Do("PATCH", "/api/v1/items/"+both.ID, l.ed, map[string]any{"title": "Bản tin sáng (sửa)"}).Want(200)
	e.Do("POST", "/api/v1/items/"+both.ID+"/submit", l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+both.ID+"/approve", l.mgr, nil).Want(200)
	again := feed(t, l, l.ed, "")[uid]
	if again == nil || again.GetProperty(ics.ComponentPropertySequence).Value == seq ||
		again.GetProperty(ics.ComponentPropertySummary).Value != "Phát thanh: Bản tin sáng (sửa)" {
		t.Errorf("after an edit: %v (sequence was %s)", again, seq)
	}
	e.Do("GET", "/api/v1/calendar.ics?channel=tiktok", l.ed, nil).Want(400)
}
