package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
)

var manifestLink = regexp.MustCompile(`<link rel="manifest" href="(/static/manifest\.[0-9a-f]+\.webmanifest)">`)

// TestOfflineApp: an operator's pages are installable (the manifest and its
// icons, the service worker at /sw.js) and tell the worker whose they are;
// staff pages are not; signing out has the browser clear what it keeps.
func TestOfflineApp(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st, _ := approvedScripts(t, e, "2026-11-21")
	e.Clock.Set(time.Date(2026, 11, 21, 5, 0, 0, 0, e.Config.Location))
	op := newBrowser(t, e)
	op.setSession(e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st))

	p := op.get("/stations/"+st+"/rundown").want(200).sound().has(`id="rd-off"`, "/static/offline.", `name="aired_at"`)
	h, err := url.ParseQuery(p.Header.Get("Lantoa-Offline"))
	if err != nil || h.Get("u") == "" || h.Get("day") != "2026-11-21" || h.Get("start") != "/stations/"+st+"/rundown" ||
		h.Get("now") != strconv.FormatInt(e.Clock.Now().UnixMilli(), 10) || h.Get("tz") != e.Config.Location.String() {
		t.Errorf("Lantoa-Offline %q (%v)", p.Header.Get("Lantoa-Offline"), err)
	}
	// The page carries the version of the rundown it was built from: the
	// API's entity tag, which the script compares.
	api := op.get("/api/v1/stations/" + st + "/rundown?date=2026-11-21").want(200)
	if tag := strings.TrimSuffix(strings.Trim(api.Header.Get("ETag"), `"`), "-gz"); tag == "" || !strings.Contains(p.Body, `data-version="&#34;`+tag+`&#34;"`) {
		t.Errorf("the page lacks the rundown's version %q", api.Header.Get("ETag"))
	}

	m := manifestLink.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no manifest link on the operator's page")
	}
	mf := op.get(m[1]).want(200)
	var man struct {
		Icons []struct{ Src, Sizes, Type string }
	}
	if err := json.Unmarshal([]byte(mf.Body), &man); err != nil || mf.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest %q: %v", mf.Header.Get("Content-Type"), err)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(mf.Body), &raw)
	if raw["name"] != "Lan Tỏa · Lịch phát thanh" || raw["start_url"] != "/" || raw["display"] != "standalone" || raw["lang"] != "vi" {
		t.Errorf("manifest %s", mf.Body)
	}
	sizes := ""
	for _, ic := range man.Icons {
		if !strings.HasPrefix(ic.Src, "/static/app") {
			t.Errorf("icon %q is not a checksummed static URL", ic.Src)
			continue
		}
		if ct := op.get(ic.Src).want(200).Header.Get("Content-Type"); ct != ic.Type {
			t.Errorf("icon %s served as %q, declared %q", ic.Src, ct, ic.Type)
		}
		sizes += ic.Sizes + " "
	}
	if !strings.Contains(sizes, "192x192") || !strings.Contains(sizes, "512x512") {
		t.Errorf("icons %s", sizes)
	}
	// The start URL opens the operator's rundown.
	op.get("/").redirects("/stations/" + st + "/rundown")

	sw := op.get("/sw.js").want(200)
	if sw.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(sw.Header.Get("Content-Type"), "text/javascript") ||
		!strings.Contains(sw.Body, `addEventListener("fetch"`) {
		t.Errorf("sw.js: %q %q", sw.Header.Get("Cache-Control"), sw.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest(http.MethodGet, e.Server.URL+"/sw.js", nil)
	req.Header.Set("If-None-Match", sw.Header.Get("ETag"))
	op.do(req).want(http.StatusNotModified)
	if n := len(sw.Body) + len(mf.Body); n > 10<<10 {
		t.Errorf("service worker and manifest weigh %d bytes, over 10 KB", n)
	}
	t.Logf("added: sw.js %d bytes, manifest %d bytes (the operator's pages also load offline.js)", len(sw.Body), len(mf.Body))

	// Staff pages keep nothing offline.
	ed := as(t, e, accounts.RoleEditor, "lien-minh")
	if p := ed.get("/stations/"+st+"/rundown").want(200).lacks(`rel="manifest"`, "offline.", `id="rd-off"`); p.Header.Get("Lantoa-Offline") != "" {
		t.Errorf("a staff page tells the worker %q", p.Header.Get("Lantoa-Offline"))
	}

	out := op.post("/logout", url.Values{}).redirects("/login")
	if got := out.Header.Get("Clear-Site-Data"); got != `"storage"` {
		t.Errorf("sign-out's Clear-Site-Data %q", got)
	}
}

// TestLateTaps: taps made without signal reach the server later, with the
// time of the tap. Within the slot's reporting window the tap's time is the
// airing's; a repeat (the phone sending again) counts once; a tap outside
// the window, or a send after the window has closed, is refused with words.
func TestLateTaps(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	st, _ := approvedScripts(t, e, "2026-11-21")
	op := newBrowser(t, e)
	op.setSession(e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st))
	mgr := e.User(accounts.RoleManager, "lien-minh")
	var rd rundown.Rundown
	e.Do("GET", "/api/v1/stations/"+st+"/rundown?date=2026-11-21", mgr, nil).Want(200).JSON(&rd)
	morning, evening := rd.Slots[0].Items[0].DeliveryID, rd.Slots[1].Items[0].DeliveryID
	loc := e.Config.Location
	e.Clock.Set(time.Date(2026, 11, 21, 5, 50, 0, 0, loc))
	csrf := deliveryForm(t, op, st)
	tap := func(delivery, status string, at time.Time) *page {
		f := url.Values{"csrf": {csrf}, "delivery": {delivery}, "date": {"2026-11-21"}, "status": {status}, "aired_at": {at.Format(time.RFC3339)}}
		if status == "skipped" {
			f.Set("reason", "Mất điện cả thôn")
		}
		return op.post("/stations/"+st+"/rundown", f)
	}

	// Tapped at 06:04 with no signal; the signal returns at 09:30.
	tapped := time.Date(2026, 11, 21, 6, 4, 0, 0, loc)
	e.Clock.Set(time.Date(2026, 11, 21, 9, 30, 0, 0, loc))
	tap(morning, "aired", tapped).redirects("/stations/" + st + "/rundown?date=2026-11-21&done=aired")
	// Background Sync tries again (its answer was lost): the same airing.
	e.Clock.Set(time.Date(2026, 11, 21, 9, 31, 0, 0, loc))
	tap(morning, "aired", tapped).redirects("/stations/" + st + "/rundown?date=2026-11-21&done=aired")
	tap(morning, "aired", tapped.Add(time.Minute)).redirects("/stations/" + st + "/rundown?date=2026-11-21&done=aired")

	// A tap before the window opened (05:45), or in the future, is not an
	// airing time; nor is a time that is not one.
	e.Clock.Set(time.Date(2026, 11, 21, 17, 40, 0, 0, loc))
	tap(evening, "aired", time.Date(2026, 11, 21, 17, 10, 0, 0, loc)).want(http.StatusBadRequest).sound().has("nằm ngoài thời gian báo cáo")
	tap(evening, "aired", time.Date(2026, 11, 21, 18, 0, 0, 0, loc)).want(http.StatusBadRequest)
	op.post("/stations/"+st+"/rundown", url.Values{"csrf": {csrf}, "delivery": {evening}, "date": {"2026-11-21"}, "aired_at": {"06:04"}}).
		want(http.StatusBadRequest).has("nằm ngoài thời gian báo cáo")

	// The evening slot tapped at 17:35 on Saturday reaches the server on
	// Monday: the window closed at the end of Sunday.
	e.Clock.Set(time.Date(2026, 11, 23, 0, 0, 1, 0, loc))
	tap(evening, "aired", time.Date(2026, 11, 21, 17, 35, 0, 0, loc)).want(http.StatusConflict).sound().
		has("Chỉ xác nhận được trong ngày phát và ngày hôm sau.")
	tap(evening, "skipped", time.Date(2026, 11, 21, 17, 35, 0, 0, loc)).want(http.StatusConflict)
	// …while the morning's, recorded in time, still answers the same.
	tap(morning, "aired", tapped).redirects("/stations/" + st + "/rundown?date=2026-11-21&done=aired")

	var airings []rundown.Airing
	e.Do("GET", "/api/v1/stations/"+st+"/airings?from=2026-11-21&to=2026-11-21", mgr, nil).Want(200).JSON(&airings)
	aired := 0
	for _, a := range airings {
		if a.Status == "aired" {
			aired++
			if a.DeliveryID != morning || a.AiredAt == nil || !a.AiredAt.Equal(tapped) {
				t.Errorf("airing %+v, want the morning slot at the tap's time %s", a, tapped)
			}
		}
	}
	if aired != 1 {
		t.Errorf("%d airings recorded, want 1: %+v", aired, airings)
	}
	var timeline []reach.TimelinePoint
	e.Do("GET", "/api/v1/reach/timeline?campaign="+gbv2026+"&metric=airings", mgr, nil).Want(200).JSON(&timeline)
	if len(timeline) != 1 || timeline[0].Date != "2026-11-21" || timeline[0].Value != 1 {
		t.Errorf("the airing counted %+v, want once on 21/11", timeline)
	}
}

// deliveryForm reads the CSRF token of the rundown page's forms.
func deliveryForm(t *testing.T, b *browser, station string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(b.get("/stations/" + station + "/rundown?date=2026-11-21").want(200).Body)
	if m == nil {
		t.Fatal("no form on the rundown")
	}
	return m[1]
}
