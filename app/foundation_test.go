package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

func TestObservancesAndSeededCampaigns(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.User(accounts.RoleOperator, "lien-minh")

	var obs []campaigns.Observance
	e.Do("GET", "/api/v1/observances", tok, nil).Want(200).JSON(&obs)
	if len(obs) != 3 || obs[0].Code != "dv-month" || obs[1].Start != "11-15" || obs[1].End != "12-15" {
		t.Fatalf("observances: %+v", obs)
	}
	var list []campaigns.Campaign
	e.Do("GET", "/api/v1/campaigns?year=2030", tok, nil).Want(200).JSON(&list)
	want := map[string][2]string{"dv-month": {"2030-06-01", "2030-06-30"}, "gbv-month": {"2030-11-15", "2030-12-15"}, "evaw-day": {"2030-11-25", "2030-11-25"}}
	if len(list) != 3 {
		t.Fatalf("2030 has %d campaigns: %+v", len(list), list)
	}
	for _, c := range list {
		if w := want[c.Observance]; c.Start != w[0] || c.End != w[1] || c.Year != 2030 || c.Status != "upcoming" {
			t.Errorf("campaign %+v, want dates %v", c, w)
		}
	}
	if !strings.Contains(list[1].Title, "bình đẳng giới") {
		t.Errorf("title without diacritics: %q", list[1].Title)
	}
}

func TestSeedingIsIdempotentAcrossRestarts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.Admin()
	var c campaigns.Campaign
	e.Do("PATCH", "/api/v1/campaigns/lien-minh-dv-month-2027", tok, map[string]any{"targets": map[string]int{"loudspeaker": 500}}).Want(200).JSON(&c)

	// Two more starts over the same database: nothing duplicated, the edit kept.
	apptest.NewOn(t, e.DB)
	e2 := apptest.NewOn(t, e.DB)
	n, err := e.DB.Collection("campaigns").CountDocuments(t.Context(), bson.M{})
	if err != nil || n != 15 {
		t.Fatalf("after three starts: %d campaigns (%v), want 15", n, err)
	}
	users, _ := e.DB.Collection("users").CountDocuments(t.Context(), bson.M{"username": "admin"})
	if users != 1 {
		t.Fatalf("%d admins after three starts", users)
	}
	e2.Do("GET", "/api/v1/campaigns/lien-minh-dv-month-2027", e2.Admin(), nil).Want(200).JSON(&c)
	if c.Targets["loudspeaker"] != 500 {
		t.Fatalf("restart lost the edited target: %+v", c.Targets)
	}
}

func TestCampaignValidationStoresNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.User(accounts.RoleEditor, "lien-minh")
	long := strings.Repeat("ă", 201)
	cases := map[string]string{
		"start":     `{"title":"Chiến dịch","start":"2026-02-30","end":"2026-03-10"}`,
		"end":       `{"title":"Chiến dịch","start":"2026-03-10","end":"2026-03-01"}`,
		"audiences": `{"title":"Chiến dịch","start":"2026-03-01","end":"2026-03-10","audiences":["aliens"]}`,
		"channels":  `{"title":"Chiến dịch","start":"2026-03-01","end":"2026-03-10","channels":["tiktok"]}`,
		"title":     `{"title":"` + long + `","start":"2026-03-01","end":"2026-03-10"}`,
		"targets":   `{"title":"Chiến dịch","start":"2026-03-01","end":"2026-03-10","targets":{"facebook":-1}}`,
	}
	for field, body := range cases {
		r := e.Do("POST", "/api/v1/campaigns", tok, body).Want(400)
		var b struct {
			Error struct{ Code, Message, Field string }
		}
		r.JSON(&b)
		if b.Error.Code != "invalid_input" || b.Error.Field != field || b.Error.Message == "" {
			t.Errorf("%s: error %+v", field, b.Error)
		}
	}
	// A bad PATCH leaves the stored campaign as it was.
	e.Do("PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", tok, `{"title":"Mới","end":"2026-01-01"}`).Want(400)
	var c campaigns.Campaign
	e.Do("GET", "/api/v1/campaigns/lien-minh-gbv-month-2026", tok, nil).Want(200).JSON(&c)
	if c.End != "2026-12-15" || strings.HasPrefix(c.Title, "Mới") {
		t.Fatalf("a rejected PATCH changed the campaign: %+v", c)
	}
	if n, _ := e.DB.Collection("campaigns").CountDocuments(t.Context(), bson.M{}); n != 15 {
		t.Fatalf("%d campaigns stored after rejected input, want 15", n)
	}

	var created campaigns.Campaign
	e.Do("POST", "/api/v1/campaigns", tok, map[string]any{"title": "Tuần lễ an toàn số cho học sinh", "start": "2027-03-01",
		"end": "2027-03-07", "audiences": []string{"students", "youth"}, "channels": []string{"facebook", "zalo"},
		"targets": map[string]int{"facebook": 2000}, "budget_vnd": 5000000}).Want(201).JSON(&created)
	if created.ID == "" || created.Year != 2027 || created.Targets["facebook"] != 2000 {
		t.Fatalf("created %+v", created)
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit?campaign="+created.ID, e.Admin(), nil).Want(200).JSON(&audit)
	if len(audit) != 1 || audit[0].Action != "campaign.create" || audit[0].Actor != "editor-lien-minh" {
		t.Fatalf("audit %+v", audit)
	}
}

func TestCalendarRanges(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.User(accounts.RoleManager, "lien-minh")

	var cal campaigns.Calendar
	e.Do("GET", "/api/v1/calendar?from=2026-11-24&to=2026-11-26", tok, nil).Want(200).JSON(&cal)
	if len(cal.Days) != 3 {
		t.Fatalf("%d days", len(cal.Days))
	}
	d25 := cal.Days[1]
	if d25.Date != "2026-11-25" || len(d25.Campaigns) != 2 || d25.Campaigns[0].Observance != "gbv-month" || d25.Campaigns[1].Observance != "evaw-day" {
		t.Fatalf("25/11: %+v", d25)
	}
	if len(cal.Days[0].Milestones) != 1 || cal.Days[0].Milestones[0].Code != "annual-report" {
		t.Fatalf("24/11 lacks the report deadline: %+v", cal.Days[0])
	}

	// Leap year: February 2028 has 29 days; the month-spanning action month.
	e.Do("GET", "/api/v1/calendar?from=2028-02-01&to=2028-02-29", tok, nil).Want(200).JSON(&cal)
	if len(cal.Days) != 29 || cal.Days[28].Date != "2028-02-29" {
		t.Fatalf("Feb 2028: %d days, last %s", len(cal.Days), cal.Days[len(cal.Days)-1].Date)
	}
	e.Do("GET", "/api/v1/calendar?from=2027-11-14&to=2027-12-16", tok, nil).Want(200).JSON(&cal)
	for _, d := range cal.Days {
		in := d.Date >= "2027-11-15" && d.Date <= "2027-12-15"
		if has := len(d.Campaigns) > 0; has != in {
			t.Errorf("%s: campaigns %+v", d.Date, d.Campaigns)
		}
	}

	e.Do("GET", "/api/v1/calendar?from=2026-01-01&to=2027-02-04", tok, nil).Want(200) // 400 days
	for _, q := range []string{"from=2026-01-01&to=2027-02-05", "from=2026-02-30&to=2026-03-01", "from=2026-03-02&to=2026-03-01", "to=2026-03-01", "from=2026-01-01&to=2026-01-02&channel=tiktok"} {
		if r := e.Do("GET", "/api/v1/calendar?"+q, tok, nil).Want(400); r.ErrorCode() != "invalid_input" {
			t.Errorf("%s: %s", q, r.Body)
		}
	}
}

func TestICSFeedParsesAndSubscribesWithToken(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.User(accounts.RoleEditor, "lien-minh")
	var sub struct{ Token, URL string }
	e.Do("POST", "/api/v1/me/calendar-token", tok, nil).Want(201).JSON(&sub)
	if !strings.Contains(sub.URL, "/api/v1/calendar.ics?token=") {
		t.Fatalf("subscription URL %q", sub.URL)
	}

	r := e.Do("GET", "/api/v1/calendar.ics?from=2026-11-01&to=2026-12-31&token="+sub.Token, "", nil).Want(200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("content type %q", ct)
	}
	if !bytes.Contains(r.Body, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(r.Body, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("lines are not CRLF-terminated")
	}
	for _, line := range bytes.Split(r.Body, []byte("\r\n")) {
		if len(line) > 75 {
			t.Fatalf("unfolded line of %d octets: %s", len(line), line)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	byUID := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		byUID[ev.Id()] = ev
	}
	ev := byUID["lien-minh-gbv-month-2026@lantoa"]
	if ev == nil {
		t.Fatalf("no action-month event among %d", len(byUID))
	}
	if s := ev.GetProperty(ics.ComponentPropertyDtStart); s.Value != "20261115" || s.ICalParameters["VALUE"][0] != "DATE" {
		t.Fatalf("DTSTART %+v", s)
	}
	if end := ev.GetProperty(ics.ComponentPropertyDtEnd); end.Value != "20261216" {
		t.Fatalf("DTEND %s, want the exclusive 20261216", end.Value)
	}
	if s := ev.GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(s, "bình đẳng giới") {
		t.Fatalf("summary %q", s)
	}

	// The calendar token opens nothing else.
	e.Do("GET", "/api/v1/me", sub.Token, nil).Want(401)
	e.Do("GET", "/api/v1/calendar.ics?token=bogus", "", nil).Want(401)
	// A second subscription replaces the first.
	e.Do("POST", "/api/v1/me/calendar-token", tok, nil).Want(201)
	e.Do("GET", "/api/v1/calendar.ics?token="+sub.Token, "", nil).Want(401)
}

func TestCommunesAreIsolated(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	e.Do("POST", "/api/v1/communes", admin, map[string]string{"name": "Xã Yên Thắng"}).Want(201)
	e.Do("POST", "/api/v1/communes", admin, map[string]string{"name": "Xã Yên Thắng"}).Want(409)

	editorB := e.User(accounts.RoleEditor, "xa-yen-thang")
	var mine []campaigns.Campaign
	e.Do("GET", "/api/v1/campaigns?year=2026", editorB, nil).Want(200).JSON(&mine)
	if len(mine) != 3 || mine[0].CommuneID != "xa-yen-thang" {
		t.Fatalf("new commune's campaigns: %+v", mine)
	}
	// Another commune's record is invisible and unchangeable.
	e.Do("GET", "/api/v1/campaigns/lien-minh-gbv-month-2026", editorB, nil).Want(404)
	e.Do("PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", editorB, `{"title":"chiếm quyền"}`).Want(404)
	e.Do("GET", "/api/v1/campaigns?commune=lien-minh", editorB, nil).Want(403)
	var c campaigns.Campaign
	e.Do("GET", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin, nil).Want(200).JSON(&c)
	if strings.Contains(c.Title, "chiếm") {
		t.Fatal("another commune's editor changed the campaign")
	}
	// The province reads every commune by naming it.
	prov := e.User(accounts.RoleProvince, "lien-minh")
	e.Do("GET", "/api/v1/campaigns/xa-yen-thang-gbv-month-2026?commune=xa-yen-thang", prov, nil).Want(200)
	e.Do("GET", "/api/v1/campaigns?commune=nowhere", prov, nil).Want(404)
	var communes []accounts.Commune
	e.Do("GET", "/api/v1/communes", prov, nil).Want(200).JSON(&communes)
	if len(communes) != 2 || communes[0].Name != "Xã Liên Minh" {
		t.Fatalf("communes %+v", communes)
	}
}

func TestLoginLogoutAndLimits(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.User(accounts.RoleEditor, "lien-minh")
	r := e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": "editor-lien-minh", "password": apptest.Password}).Want(200)
	var out struct {
		Token string
		User  struct{ ID, Username, Role string }
	}
	r.JSON(&out)
	if out.Token == "" || out.User.Role != "editor" || out.User.Username != "editor-lien-minh" {
		t.Fatalf("login: %s", r.Body)
	}
	var ck *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "lantoa_session" {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v", ck)
	}
	// The cookie signs in; an unsafe cookie request from another site is refused.
	req, _ := http.NewRequest("GET", e.Server.URL+"/api/v1/me", nil)
	req.AddCookie(ck)
	e.Send(req).Want(200)
	req, _ = http.NewRequest("POST", e.Server.URL+"/api/v1/campaigns", strings.NewReader(`{}`))
	req.AddCookie(ck)
	req.Header.Set("Origin", "https://evil.example")
	if r := e.Send(req).Want(403); r.ErrorCode() != "cross_site" {
		t.Fatalf("cross-site: %s", r.Body)
	}
	e.Do("POST", "/api/v1/auth/logout", out.Token, nil).Want(204)
	e.Do("GET", "/api/v1/me", out.Token, nil).Want(401)

	for range 5 {
		e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": "editor-lien-minh", "password": "wrong-password"}).Want(401)
	}
	r = e.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": "editor-lien-minh", "password": apptest.Password}).Want(429)
	if !strings.Contains(string(r.Body), "15 phút") {
		t.Fatalf("429 without a clear message: %s", r.Body)
	}
	e.Do("POST", "/api/v1/users", e.Admin(), map[string]any{"username": "short-pw", "password": "123456789", "role": "editor"}).Want(400)
	e.Do("POST", "/api/v1/users", e.Admin(), map[string]any{"username": "op1", "password": "mật-khẩu-đủ-dài", "role": "pilot"}).Want(400)
}

// TestCalendarShowsEveryItemOfItsDays: the calendar of a week holds its
// items however many others the commune has (five years make thousands; a
// listing limit once dropped the older ones), and only those of its days.
func TestCalendarShowsEveryItemOfItsDays(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed := e.User(accounts.RoleEditor, "lien-minh")
	var nov campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post",
		"title": "Ngày 25/11: mặc áo cam", "body": "Cùng mặc áo màu cam hưởng ứng ngày quốc tế.", "audiences": []string{"residents"},
		"channels": []string{"facebook", "zalo"}, "schedule": map[string]any{"at": "2026-11-25T08:00:00+07:00"}}).Want(201).JSON(&nov)

	// 1,000 items edited since, each read in December.
	later := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	var docs []any
	for i := range 1000 {
		docs = append(docs, campaigns.Item{ID: fmt.Sprintf("dec-%04d", i), CommuneID: "lien-minh", CampaignID: "lien-minh-gbv-month-2026",
			Kind: campaigns.KindPost, Title: fmt.Sprintf("Bài tháng 12 số %d", i), Body: "Nội dung", Channels: []string{"portal"},
			Schedule: campaigns.Schedule{Times: []string{"07:00"}, From: "2026-12-01", To: "2026-12-10"},
			Status:   campaigns.StatusDraft, Version: 1, CreatedAt: later, UpdatedAt: later.Add(time.Duration(i) * time.Second)})
	}
	if _, err := e.DB.Collection("items").InsertMany(context.Background(), docs); err != nil {
		t.Fatal(err)
	}

	var cal campaigns.Calendar
	e.Do("GET", "/api/v1/calendar?from=2026-11-24&to=2026-11-26", ed, nil).Want(200).JSON(&cal)
	var got []string
	for _, d := range cal.Days {
		for _, en := range d.Entries {
			got = append(got, d.Date+" "+en.Channel+" "+en.ItemID)
		}
	}
	want := []string{"2026-11-25 facebook " + nov.ID, "2026-11-25 zalo " + nov.ID}
	if !slices.Equal(got, want) {
		t.Fatalf("entries of 24–26/11: %v, want %v", got, want)
	}
	e.Do("GET", "/api/v1/calendar?from=2026-12-10&to=2026-12-11", ed, nil).Want(200).JSON(&cal)
	if n := len(cal.Days[0].Entries); n != 1000 || len(cal.Days[1].Entries) != 0 {
		t.Fatalf("10/12 has %d entries (want 1000), 11/12 has %d (want 0)", n, len(cal.Days[1].Entries))
	}
}

// showsWithin waits up to 3 s for replica 2's view (get) to read want.
func showsWithin(t *testing.T, what, want string, get func() string) {
	t.Helper()
	start := time.Now()
	for got := get(); got != want; got = get() {
		if time.Since(start) > 3*time.Second {
			t.Fatalf("replica 2 did not show %s within 3 s: %q, want %q", what, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCalendarFollowsItemChangesAcrossReplicas: the calendar keeps items in
// memory against a stamp, so a new item, an approval and an edit made
// through one replica show in another's calendar within seconds.
func TestCalendarFollowsItemChangesAcrossReplicas(t *testing.T) {
	t.Parallel()
	e1 := apptest.New(t)
	e2 := apptest.NewOn(t, e1.DB)
	e2.Clock.Set(e1.Clock.Now())
	ed, mgr := e1.User(accounts.RoleEditor, "lien-minh"), e1.User(accounts.RoleManager, "lien-minh")
	entry := func(e *apptest.Env) string {
		var cal campaigns.Calendar
		e.Do("GET", "/api/v1/calendar?from=2026-11-25&to=2026-11-25", ed, nil).Want(200).JSON(&cal)
		var out []string
		for _, en := range cal.Days[0].Entries {
			out = append(out, en.Title+" "+en.Status)
		}
		return strings.Join(out, "; ")
	}
	within := func(what, want string) { t.Helper(); showsWithin(t, what, want, func() string { return entry(e2) }) }
	if got := entry(e2); got != "" { // replica 2 has read the (empty) day
		t.Fatalf("before: %q", got)
	}
	var it campaigns.Item
	e1.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post",
		"title": "Áo cam", "body": "Cùng mặc áo màu cam.", "audiences": []string{"residents"},
		"channels": []string{"facebook"}, "schedule": map[string]any{"at": "2026-11-25T08:00:00+07:00"}}).Want(201).JSON(&it)
	if got := entry(e1); got != "Áo cam draft" {
		t.Fatalf("replica 1 does not show its own new item at once: %q", got)
	}
	within("the new item", "Áo cam draft")
	e1.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e1.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	within("the approval", "Áo cam approved")
	e1.Do("PATCH", "/api/v1/items/"+it.ID, ed, map[string]any{"title": "Áo cam ngày 25/11"}).Want(200)
	within("the edit", "Áo cam ngày 25/11 draft")
}

// TestCampaignListFollowsChangesAcrossReplicas: campaigns are kept in
// memory against a stamp, so a campaign made or edited through one replica
// is listed by the other within seconds, and a caller changing what it was
// given changes nothing for the next.
func TestCampaignListFollowsChangesAcrossReplicas(t *testing.T) {
	t.Parallel()
	e1 := apptest.New(t)
	e2 := apptest.NewOn(t, e1.DB)
	e2.Clock.Set(e1.Clock.Now())
	ed := e1.User(accounts.RoleEditor, "lien-minh")
	titles := func(e *apptest.Env) string {
		var list []campaigns.Campaign
		e.Do("GET", "/api/v1/campaigns?year=2031", ed, nil).Want(200).JSON(&list)
		var out []string
		for _, c := range list {
			out = append(out, c.Title)
		}
		return strings.Join(out, "; ")
	}
	within := func(what, want string) { t.Helper(); showsWithin(t, what, want, func() string { return titles(e2) }) }
	if got := titles(e2); got != "" { // replica 2 has read the (empty) year
		t.Fatalf("before: %q", got)
	}
	var c campaigns.Campaign
	e1.Do("POST", "/api/v1/campaigns", ed, map[string]any{"title": "Ngày Quốc tế Phụ nữ", "start": "2031-03-01",
		"end": "2031-03-08", "targets": map[string]int{"facebook": 100}}).Want(201).JSON(&c)
	if got := titles(e1); got != "Ngày Quốc tế Phụ nữ" {
		t.Fatalf("replica 1 does not list its own new campaign at once: %q", got)
	}
	within("the new campaign", "Ngày Quốc tế Phụ nữ")
	e1.Do("PATCH", "/api/v1/campaigns/"+c.ID, ed, map[string]any{"title": "Tuần lễ 8/3"}).Want(200)
	if got := titles(e1); got != "Tuần lễ 8/3" {
		t.Fatalf("replica 1 does not list its own edit at once: %q", got)
	}
	within("the edit", "Tuần lễ 8/3")
	e1.Do("PATCH", "/api/v1/campaigns/"+c.ID, ed, map[string]any{"start": "2032-04-01", "end": "2032-04-30"}).Want(200)
	within("the move to another year", "")

	// What ListCampaigns hands out is the caller's own.
	ctx := apptest.Scoped("lien-minh")
	list, err := e1.App.Campaigns.ListCampaigns(ctx, "2032-04-01", "2032-04-30")
	if err != nil || len(list) != 1 || list[0].Targets["facebook"] != 100 {
		t.Fatalf("April: %+v, %v", list, err)
	}
	list[0].Title, list[0].Targets["facebook"] = "changed by a caller", 0
	again, _ := e1.App.Campaigns.ListCampaigns(ctx, "2032-04-01", "2032-04-30")
	if again[0].Title != "Tuần lễ 8/3" || again[0].Targets["facebook"] != 100 {
		t.Fatalf("a caller's change reached the memo: %+v", again[0])
	}
}

// TestHeadAnswersLikeGet: HEAD gets a GET route's status and headers
// without a body, through the same authorization.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	tok := e.User(accounts.RoleEditor, "lien-minh")
	head := func(path, token string) *apptest.Response {
		req, _ := http.NewRequest(http.MethodHead, e.Server.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return e.Send(req)
	}
	if r := head("/healthz", ""); r.StatusCode != 200 || len(r.Body) != 0 {
		t.Fatalf("HEAD /healthz: %d, %d bytes", r.StatusCode, len(r.Body))
	}
	get := e.Do("GET", "/api/v1/calendar?from=2026-11-24&to=2026-11-26", tok, nil).Want(200)
	r := head("/api/v1/calendar?from=2026-11-24&to=2026-11-26", tok)
	if r.StatusCode != 200 || len(r.Body) != 0 || r.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
		t.Fatalf("HEAD calendar: %d, %d bytes, %q", r.StatusCode, len(r.Body), r.Header.Get("Content-Type"))
	}
	if r := head("/api/v1/calendar?from=2026-11-24&to=2026-11-26", ""); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("HEAD without a token: %d", r.StatusCode)
	}
	if r := head("/api/v1/auth/login", ""); r.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("HEAD on a POST route: %d", r.StatusCode)
	}
}
