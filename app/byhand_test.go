package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/byhand"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
)

func byHandEnv(t *testing.T) (*apptest.Env, string, string) {
	t.Helper()
	e := apptest.New(t, func(c *config.Config) { c.Outbox = false })
	return e, e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
}

// approvedPost schedules an approved post on channels at at.
func approvedPost(t *testing.T, e *apptest.Env, ed, mgr string, at time.Time, channels ...string) campaigns.Item {
	t.Helper()
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post",
		"title": "Chung tay chấm dứt bạo lực", "body": "Gọi 111 khi thấy trẻ em bị bạo lực.", "link": "https://lienminh.gov.vn/111",
		"channels": channels, "schedule": map[string]any{"at": at.Format(time.RFC3339)}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	return it
}

func deliveryOn(t *testing.T, e *apptest.Env, tok, itemID, channel string) deliveries.Delivery {
	t.Helper()
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+itemID+"&channel="+channel, tok, nil).Want(200).JSON(&list)
	if len(list) != 1 {
		t.Fatalf("%d deliveries of %s on %s", len(list), itemID, channel)
	}
	return list[0]
}

// TestPostingByHand walks SPEC §6.2: without credentials, an approved post
// falls due as awaiting_manual (never sent), is listed with its text as
// each platform takes it, goes out when an editor gives the post's link
// (checked against the platform), or is skipped with a reason.
func TestPostingByHand(t *testing.T) {
	t.Parallel()
	e, ed, mgr := byHandEnv(t)
	ctx := apptest.Scoped("lien-minh")
	it := approvedPost(t, e, ed, mgr, e.Clock.Now().Add(time.Hour), "facebook", "zalo")
	var queue []byhand.Post
	e.Do("GET", "/api/v1/manual?state=awaiting_manual", ed, nil).Want(200).JSON(&queue)
	if len(queue) != 0 {
		t.Fatalf("posts due before their time: %+v", queue)
	}
	e.Clock.Advance(61 * time.Minute)
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait()
	fb, zl := deliveryOn(t, e, ed, it.ID, "facebook"), deliveryOn(t, e, ed, it.ID, "zalo")
	if fb.State != deliveries.StateAwaitingManual || zl.State != deliveries.StateAwaitingManual || fb.SentAt != nil {
		t.Fatalf("due posts by hand: %s, %s (sent at %v)", fb.State, zl.State, fb.SentAt)
	}
	if n, err := e.App.ByHand.Count(ctx); err != nil || n != 2 {
		t.Fatalf("count %d, %v", n, err)
	}
	e.Do("GET", "/api/v1/manual", ed, nil).Want(200).JSON(&queue)
	if len(queue) != 2 || queue[0].Text != "Chung tay chấm dứt bạo lực\n\nGọi 111 khi thấy trẻ em bị bạo lực.\n\nhttps://lienminh.gov.vn/111" {
		t.Fatalf("queue %+v", queue)
	}
	e.Do("GET", "/api/v1/manual", e.User(accounts.RoleOperator, "lien-minh"), nil).Want(403)
	e.Do("GET", "/api/v1/manual?state=sent", ed, nil).Want(400)

	// The link must be of that platform, and a post of it.
	for _, bad := range []string{"", "https://zalo.me/abc/def", "https://www.facebook.com/xalienminh", "not a link"} {
		if r := e.Do("POST", "/api/v1/deliveries/"+fb.ID+"/posted", ed, map[string]string{"url": bad}); r.StatusCode != 400 {
			t.Errorf("posted with %q: %d %s", bad, r.StatusCode, r.Body)
		}
	}
	e.Do("POST", "/api/v1/deliveries/"+fb.ID+"/posted", mgr, map[string]string{"url": "https://www.facebook.com/123/posts/456"}).Want(403)
	var sent deliveries.Delivery
	link := "https://www.facebook.com/123456/posts/789012"
	e.Do("POST", "/api/v1/deliveries/"+fb.ID+"/posted", ed, map[string]string{"url": link}).Want(200).JSON(&sent)
	if sent.State != deliveries.StateSent || sent.URL != link || sent.ExternalID != "123456_789012" || sent.SentAt == nil {
		t.Fatalf("posted: %+v", sent)
	}
	e.Do("POST", "/api/v1/deliveries/"+fb.ID+"/posted", ed, map[string]string{"url": link}).Want(200) // the same again
	e.Do("POST", "/api/v1/deliveries/"+fb.ID+"/posted", ed, map[string]string{"url": "https://www.facebook.com/123456/posts/1"}).Want(409)
	e.Do("POST", "/api/v1/deliveries/"+zl.ID+"/skip", ed, map[string]string{"reason": ""}).Want(400)
	var skipped deliveries.Delivery
	e.Do("POST", "/api/v1/deliveries/"+zl.ID+"/skip", ed, map[string]string{"reason": "Đã đăng chung với bài khác"}).Want(200).JSON(&skipped)
	if skipped.State != deliveries.StateCancelled || skipped.SkipReason != "Đã đăng chung với bài khác" {
		t.Fatalf("skipped: %+v", skipped)
	}
	e.Do("POST", "/api/v1/deliveries/"+zl.ID+"/skip", ed, map[string]string{"reason": "Đã đăng chung với bài khác"}).Want(200)
	if n, _ := e.App.ByHand.Count(ctx); n != 0 {
		t.Fatalf("count after posting and skipping: %d", n)
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit?item="+it.ID, mgr, nil).Want(200).JSON(&audit)
	if got := actions(audit); !strings.Contains(got, "delivery.posted") || !strings.Contains(got, "delivery.skip") {
		t.Errorf("audit %s", got)
	}
}

// TestByHandMissedAtTheEndOfTheNextDay: a post nobody made is missed once
// the day after its due day is over, and a retry hands it to the editors
// again; an edit after approval withdraws it from them.
func TestByHandMissedAtTheEndOfTheNextDay(t *testing.T) {
	t.Parallel()
	e, ed, mgr := byHandEnv(t)
	ctx := apptest.Scoped("lien-minh")
	loc := e.Config.Location
	e.Clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, loc))
	it := approvedPost(t, e, ed, mgr, time.Date(2026, 11, 20, 10, 0, 0, 0, loc), "facebook")
	e.Clock.Set(time.Date(2026, 11, 20, 10, 1, 0, 0, loc))
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait() // what it started, handed over to a person included
	d := deliveryOn(t, e, ed, it.ID, "facebook")
	for _, c := range []struct {
		at    time.Time
		state string
	}{
		{time.Date(2026, 11, 21, 23, 59, 0, 0, loc), deliveries.StateAwaitingManual}, // still the next day
		{time.Date(2026, 11, 22, 0, 1, 0, 0, loc), deliveries.StateMissed},
	} {
		e.Clock.Set(c.at)
		if _, err := e.App.Deliveries.MissByHand(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := deliveryOn(t, e, ed, it.ID, "facebook").State; got != c.state {
			t.Fatalf("at %s: %s, want %s", c.at, got, c.state)
		}
	}
	e.Do("POST", "/api/v1/deliveries/"+d.ID+"/retry", ed, nil).Want(200)
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait() // what it started, handed over to a person included
	if got := deliveryOn(t, e, ed, it.ID, "facebook").State; got != deliveries.StateAwaitingManual {
		t.Fatalf("after a retry: %s", got)
	}
	// An edit after approval takes it back from the editors' queue.
	e.Do("PATCH", "/api/v1/items/"+it.ID, ed, map[string]any{"title": "Sửa tiêu đề"}).Want(200)
	if got := deliveryOn(t, e, ed, it.ID, "facebook").State; got != deliveries.StateCancelled {
		t.Fatalf("after an edit: %s", got)
	}
	// A post found due after the end of the next day (the service was down) is missed at once.
	late := approvedPost(t, e, ed, mgr, time.Date(2026, 11, 23, 8, 0, 0, 0, loc), "zalo")
	e.Clock.Set(time.Date(2026, 11, 25, 0, 30, 0, 0, loc))
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait() // what it started, handed over to a person included
	if got := deliveryOn(t, e, ed, late.ID, "zalo").State; got != deliveries.StateMissed {
		t.Fatalf("found after its window: %s", got)
	}
}

// TestFiguresOfPostsMadeByHand: three days after a post made by hand, its
// item page asks the editor for the figures the platform shows; they count
// like a poll of the platform (the latest per post, never a sum).
func TestFiguresOfPostsMadeByHand(t *testing.T) {
	t.Parallel()
	e, ed, mgr := byHandEnv(t)
	ctx := apptest.Scoped("lien-minh")
	it := approvedPost(t, e, ed, mgr, e.Clock.Now().Add(time.Hour), "facebook")
	e.Clock.Advance(61 * time.Minute)
	if err := e.App.Dispatch.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.App.Dispatch.Wait() // what it started, handed over to a person included
	d := deliveryOn(t, e, ed, it.ID, "facebook")
	e.Do("POST", "/api/v1/deliveries/"+d.ID+"/posted", ed, map[string]string{"url": "https://www.facebook.com/123/posts/456"}).Want(200)
	page := func() string {
		req, _ := http.NewRequest("GET", e.Server.URL+"/items/"+it.ID, nil)
		req.AddCookie(&http.Cookie{Name: "lantoa_session", Value: ed})
		return string(e.Send(req).Want(200).Body)
	}
	if strings.Contains(page(), `name="engagements"`) {
		t.Fatal("figures asked for before three days")
	}
	e.Clock.Advance(73 * time.Hour)
	if !strings.Contains(page(), `name="engagements"`) {
		t.Fatal("figures not asked for after three days")
	}
	record := func(reach, eng string) {
		form := url.Values{"delivery": {d.ID}, "reach": {reach}, "engagements": {eng}}
		req, _ := http.NewRequest("GET", e.Server.URL+"/items/"+it.ID, nil)
		req.AddCookie(&http.Cookie{Name: "lantoa_session", Value: ed})
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(e.Send(req).Body))[1]
		form.Set("csrf", csrf)
		post, _ := http.NewRequest("POST", e.Server.URL+"/items/"+it.ID+"/figures", strings.NewReader(form.Encode()))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		post.Header.Set("Origin", e.Server.URL)
		post.AddCookie(&http.Cookie{Name: "lantoa_session", Value: ed})
		res, err := http.DefaultTransport.RoundTrip(post)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("recording figures: %d", res.StatusCode)
		}
	}
	record("1.200", "85")
	record("1500", "90") // read again later: replaces, never adds
	var sum struct {
		Totals map[string]map[string]int64 `json:"totals"`
	}
	e.Do("GET", "/api/v1/reach/summary?campaign=lien-minh-gbv-month-2026", mgr, nil).Want(200).JSON(&sum)
	if sum.Totals["facebook"]["reach_sum"] != 1500 || sum.Totals["facebook"]["engagements"] != 90 { // reach of posts is summed, and labelled a sum
		t.Fatalf("totals %v", sum.Totals)
	}
}

// TestFeedRemindsOfPostsByHand: the calendar feed carries each post due by
// hand as a timed event with a reminder (VALARM) at its time and the page
// to post it from; a post published by the service has none.
func TestFeedRemindsOfPostsByHand(t *testing.T) {
	t.Parallel()
	e, ed, mgr := byHandEnv(t)
	at := e.Clock.Now().Add(26 * time.Hour).Truncate(time.Minute)
	byHand := approvedPost(t, e, ed, mgr, at, "facebook", "portal")
	auto := approvedPost(t, e, ed, mgr, at.Add(time.Hour), "portal")
	r := e.Do("GET", "/api/v1/calendar.ics", ed, nil).Want(200)
	cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parsing the feed: %v", err)
	}
	found := 0
	for _, ev := range cal.Events() {
		switch {
		case strings.HasPrefix(ev.Id(), "occ-"+byHand.ID):
			found++
			alarms := ev.Alarms()
			if len(alarms) != 1 {
				t.Fatalf("%d alarms on a post due by hand", len(alarms))
			}
			if a := alarms[0]; a.GetProperty(ics.ComponentPropertyAction).Value != "DISPLAY" || a.GetProperty(ics.ComponentPropertyTrigger).Value != "PT0M" ||
				!strings.Contains(a.GetProperty(ics.ComponentPropertyDescription).Value, "Trang Facebook") {
				t.Errorf("alarm %s", a.Serialize(nil))
			}
			if u := ev.GetProperty(ics.ComponentPropertyUrl); u == nil || !strings.HasSuffix(u.Value, "/manual") {
				t.Errorf("no link to the posting page: %v", u)
			}
			start, _ := ev.GetStartAt()
			if !start.Equal(at) {
				t.Errorf("reminder at %s, want %s", start, at)
			}
		case strings.HasPrefix(ev.Id(), "occ-"+auto.ID):
			found++
			if len(ev.Alarms()) != 0 {
				t.Error("a post the service publishes carries a reminder")
			}
		}
	}
	if found != 2 {
		t.Fatalf("%d of the 2 occurrences in the feed", found)
	}
}
