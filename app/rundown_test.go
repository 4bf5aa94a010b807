package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/api"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
	"github.com/lantoa/lantoa/stations"
)

const gbvCampaign = "lien-minh-gbv-month-2026"

// loudspeakers is a commune with two stations, an editor, a manager and an
// operator for each station.
type loudspeakers struct {
	e          *apptest.Env
	ed, mgr    string
	a, b       stations.Station
	opA, opB   string
	adminToken string
}

func setupLoudspeakers(t testing.TB, e *apptest.Env) *loudspeakers {
	t.Helper()
	l := &loudspeakers{e: e, ed: e.User(accounts.RoleEditor, "lien-minh"), mgr: e.User(accounts.RoleManager, "lien-minh"), adminToken: e.Admin()}
	e.Do("POST", "/api/v1/stations", l.adminToken, map[string]any{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông", "households": 120}).Want(201).JSON(&l.a)
	e.Do("POST", "/api/v1/stations", l.adminToken, map[string]any{"name": "Cụm loa Xóm Bãi", "village": "Xóm Bãi", "households": 85}).Want(201).JSON(&l.b)
	l.opA = e.UserNamed("van-hanh-dong", accounts.RoleOperator, "lien-minh", l.a.ID)
	l.opB = e.UserNamed("van-hanh-bai", accounts.RoleOperator, "lien-minh", l.b.ID)
	return l
}

// words returns a text of exactly n words.
func words(n int) string {
	ten := strings.Fields("bạo lực gia đình là hành vi vi phạm pháp luật")
	out := make([]string, n)
	for i := range out {
		out[i] = ten[i%len(ten)]
	}
	return strings.Join(out, " ")
}

// script creates, submits and approves a loudspeaker script.
func (l *loudspeakers) script(t testing.TB, title, body string, schedule map[string]any, stationIDs ...string) campaigns.Item {
	t.Helper()
	var it campaigns.Item
	l.e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "script", "title": title, "body": body,
		"audiences": []string{"residents"}, "channels": []string{"loudspeaker"}, "schedule": schedule, "station_ids": stationIDs}).Want(201).JSON(&it)
	l.e.Do("POST", "/api/v1/items/"+it.ID+"/submit", l.ed, nil).Want(200)
	l.e.Do("POST", "/api/v1/items/"+it.ID+"/approve", l.mgr, nil).Want(200)
	return it
}

func (l *loudspeakers) rundown(t *testing.T, token, stationID, date string) rundown.Rundown {
	t.Helper()
	var r rundown.Rundown
	l.e.Do("GET", "/api/v1/stations/"+stationID+"/rundown?date="+date, token, nil).Want(200).JSON(&r)
	return r
}

// outline is a rundown in short: "06:00 Title, Title | 17:30 Title".
func outline(r rundown.Rundown) string {
	var slots []string
	for _, s := range r.Slots {
		var titles []string
		for _, it := range s.Items {
			titles = append(titles, it.Title)
		}
		slots = append(slots, s.Time+" "+strings.Join(titles, ", "))
	}
	return strings.Join(slots, " | ")
}

func TestRundownAcrossRecurrencesAndWeekdays(t *testing.T) {
	t.Parallel()
	e := apptest.New(t) // Friday 2026-11-20 09:00
	l := setupLoudspeakers(t, e)
	// X: both stations, 06:00 and 17:30, Mondays, Wednesdays and Fridays.
	x := l.script(t, "Bình đẳng giới trong gia đình", words(260),
		map[string]any{"times": []string{"17:30", "06:00"}, "from": "2026-11-21", "to": "2026-11-30", "weekdays": []int{1, 3, 5}}, l.a.ID, l.b.ID)
	// Y: station A, 06:00 on Mondays and Tuesdays.
	y := l.script(t, "Ánh sáng cho nạn nhân", words(65),
		map[string]any{"times": []string{"06:00"}, "from": "2026-11-21", "to": "2026-11-30", "weekdays": []int{1, 2}}, l.a.ID)
	// Z: station B, 17:30 every day until Monday.
	l.script(t, "Đường dây nóng 111", words(13),
		map[string]any{"times": []string{"17:30"}, "from": "2026-11-21", "to": "2026-11-23"}, l.b.ID)

	for _, c := range []struct{ station, date, want string }{
		{l.a.ID, "2026-11-23", "06:00 Ánh sáng cho nạn nhân, Bình đẳng giới trong gia đình | 17:30 Bình đẳng giới trong gia đình"},
		{l.a.ID, "2026-11-24", "06:00 Ánh sáng cho nạn nhân"},
		{l.a.ID, "2026-11-25", "06:00 Bình đẳng giới trong gia đình | 17:30 Bình đẳng giới trong gia đình"},
		{l.a.ID, "2026-11-22", ""},
		{l.b.ID, "2026-11-21", "17:30 Đường dây nóng 111"},
		{l.b.ID, "2026-11-23", "06:00 Bình đẳng giới trong gia đình | 17:30 Bình đẳng giới trong gia đình, Đường dây nóng 111"},
		{l.b.ID, "2026-11-24", ""},
		{l.b.ID, "2026-11-27", "06:00 Bình đẳng giới trong gia đình | 17:30 Bình đẳng giới trong gia đình"},
	} {
		r := l.rundown(t, l.ed, c.station, c.date)
		if got := outline(r); got != c.want || r.Date != c.date || r.Station.ID != c.station {
			t.Errorf("rundown of %s on %s: %q (date %s), want %q", c.station, c.date, got, r.Date, c.want)
		}
	}

	// Reading times at 130 words a minute: 260 words = 120 s, 65 = 30 s.
	r := l.rundown(t, l.opA, l.a.ID, "2026-11-23")
	if r.Station.Name != "Cụm loa Thôn Đông" || r.Station.Village != "Thôn Đông" || r.Station.Households != 120 {
		t.Errorf("station %+v", r.Station)
	}
	first, second := r.Slots[0].Items[0], r.Slots[0].Items[1]
	if first.ItemID != y.ID || first.ReadSeconds != 30 || first.Body != words(65) || first.DeliveryID == "" || first.State != "queued" || first.Status != "pending" {
		t.Errorf("06:00 first script %+v", first)
	}
	if second.ItemID != x.ID || second.ReadSeconds != 120 || second.Words != 260 || second.DeliveryID == first.DeliveryID {
		t.Errorf("06:00 second script %+v", second)
	}
	if r.Slots[0].ReadSeconds != 150 || r.TotalReadSeconds != 270 || r.Slots[1].Items[0].DeliveryID == second.DeliveryID {
		t.Errorf("slot %d s, total %d s, want 150 and 270", r.Slots[0].ReadSeconds, r.TotalReadSeconds)
	}

	// The default is today (Friday 20/11: nothing yet); bad input is 400, an
	// unknown station 404.
	var today rundown.Rundown
	e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown", l.opA, nil).Want(200).JSON(&today)
	if today.Date != "2026-11-20" || len(today.Slots) != 0 || today.TotalReadSeconds != 0 {
		t.Errorf("today's rundown %+v", today)
	}
	e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?date=2026-02-30", l.opA, nil).Want(400)
	e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?format=pdf", l.opA, nil).Want(400)
	e.Do("GET", "/api/v1/stations/nope/rundown", l.ed, nil).Want(404)

	// Editing the script withdraws its queued slots from the rundown at once.
	e.Do("PATCH", "/api/v1/items/"+y.ID, l.ed, map[string]any{"title": "Ánh sáng (sửa)"}).Want(200)
	if got := outline(l.rundown(t, l.opA, l.a.ID, "2026-11-24")); got != "" {
		t.Errorf("after the edit, 24/11 is %q", got)
	}
}

func TestRundownText(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	title := "Phòng, chống bạo lực gia đình — trách nhiệm của mỗi người"
	// 6 + 11 + 151 + 5 = 173 words: 80 seconds at 130 words a minute.
	body := "Kính thưa bà con Thôn Đông!\n\nBạo lực gia đình là hành vi vi phạm pháp luật. " + words(151) + "\nGọi đường dây nóng 111."
	l.script(t, title, body, map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-29"}, l.a.ID)

	names := []string{"Thứ Hai, 23/11/2026", "Thứ Ba, 24/11/2026", "Thứ Tư, 25/11/2026", "Thứ Năm, 26/11/2026",
		"Thứ Sáu, 27/11/2026", "Thứ Bảy, 28/11/2026", "Chủ Nhật, 29/11/2026"}
	for i, name := range names {
		date := fmt.Sprintf("2026-11-%d", 23+i)
		res := e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?format=txt&date="+date, l.opA, nil).Want(200)
		if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		text := string(res.Body)
		if !utf8.ValidString(text) || !strings.Contains(text, "\nNgày: "+name+"\n") {
			t.Errorf("%s: the date line lacks %q:\n%s", date, name, text)
		}
		for _, want := range []string{
			"LỊCH PHÁT THANH CƠ SỞ\nCụm loa: Cụm loa Thôn Đông\nThôn: Thôn Đông (120 hộ)\n",
			"\n06:00 — 1 bài, khoảng 1 phút 20 giây\n", "\n17:30 — 1 bài, khoảng 1 phút 20 giây\n",
			"\n1. Phòng, chống bạo lực gia đình — trách nhiệm của mỗi người\n   Thời lượng đọc: khoảng 1 phút 20 giây (173 từ)\n\n   Kính thưa bà con Thôn Đông!\n\n   Bạo lực gia đình là hành vi vi phạm pháp luật.",
			"   Gọi đường dây nóng 111.\n",
			"Tổng thời lượng đọc: khoảng 2 phút 40 giây (2 bài, 130 từ/phút)\n",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: text lacks %q:\n%s", date, want, text)
			}
		}
		for n, line := range strings.Split(text, "\n") {
			if utf8.RuneCountInString(line) > rundown.TextWidth {
				t.Errorf("%s: line %d is wider than %d: %q", date, n+1, rundown.TextWidth, line)
			}
		}
	}

	// A phone that accepts gzip gets a quarter of the bytes.
	plain := e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?format=txt&date=2026-11-26", l.opA, nil).Want(200).Body
	req, _ := http.NewRequest("GET", e.Server.URL+"/api/v1/stations/"+l.a.ID+"/rundown?format=txt&date=2026-11-26", nil)
	req.Header.Set("Authorization", "Bearer "+l.opA)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the client leaves the body compressed
	zipped := e.Send(req)
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body))
	if err != nil || zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip: %v %v", zipped.Header, err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) || len(zipped.Body)*2 > len(plain) {
		t.Errorf("gzip body: %d bytes for %d, equal %v", len(zipped.Body), len(plain), bytes.Equal(unzipped, plain))
	}
	// Both forms declare their length (no chunked framing); the plain one is
	// larger than 2 KB, so it goes out in one write (api/heldwrites.go).
	req, _ = http.NewRequest("GET", e.Server.URL+"/api/v1/stations/"+l.a.ID+"/rundown?format=txt&date=2026-11-26", nil)
	req.Header.Set("Authorization", "Bearer "+l.opA)
	req.Header.Set("Accept-Encoding", "identity")
	plainRes := e.Send(req)
	if len(plain) <= 2048 || plainRes.ContentLength != int64(len(plain)) || zipped.ContentLength != int64(len(zipped.Body)) ||
		len(plainRes.TransferEncoding) != 0 || !bytes.Equal(plainRes.Body, plain) {
		t.Errorf("lengths: plain %d declared %d %v, gzip %d declared %d", len(plain), plainRes.ContentLength,
			plainRes.TransferEncoding, len(zipped.Body), zipped.ContentLength)
	}

	// An unchanged rundown answers 304 to its entity tag, on both forms.
	for _, q := range []string{"", "&format=txt"} {
		res := e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?date=2026-11-26"+q, l.opA, nil).Want(200)
		req, _ := http.NewRequest("GET", e.Server.URL+"/api/v1/stations/"+l.a.ID+"/rundown?date=2026-11-26"+q, nil)
		req.Header.Set("Authorization", "Bearer "+l.opA)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		if got := e.Send(req); got.StatusCode != http.StatusNotModified || res.Header.Get("ETag") == "" {
			t.Errorf("If-None-Match %q%s: %d", res.Header.Get("ETag"), q, got.StatusCode)
		}
	}
}

func TestRundownScoping(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	path := func(st stations.Station, rest string) string { return "/api/v1/stations/" + st.ID + rest }
	e.Do("GET", path(l.a, "/rundown"), l.opA, nil).Want(200)
	e.Do("GET", path(l.b, "/rundown"), l.opA, nil).Want(403)
	e.Do("GET", path(l.a, "/rundown"), l.opB, nil).Want(403)
	e.Do("GET", path(l.b, "/airings"), l.opA, nil).Want(403)
	e.Do("POST", path(l.b, "/airings"), l.opA, map[string]string{"delivery_id": "x"}).Want(403)
	for _, tok := range []string{l.ed, l.mgr, l.adminToken} {
		e.Do("GET", path(l.b, "/rundown"), tok, nil).Want(200)
	}
	e.Do("GET", path(l.a, "/rundown"), e.User(accounts.RoleProvince, "lien-minh"), nil).Want(403)
	e.Do("POST", path(l.a, "/airings"), l.ed, map[string]string{"delivery_id": "x"}).Want(403) // operators confirm
	// Another commune's operator does not see this commune's stations.
	if err := e.App.Accounts.EnsureCommune(context.Background(), "hoa-binh", "Xã Hòa Bình"); err != nil {
		t.Fatal(err)
	}
	e.Do("GET", path(l.a, "/rundown"), e.User(accounts.RoleEditor, "hoa-binh"), nil).Want(404)

	// Station tokens: issued by admins only, shown once, scoped to one station.
	e.Do("POST", path(l.a, "/token"), l.ed, nil).Want(403)
	e.Do("POST", "/api/v1/stations/nope/token", l.adminToken, nil).Want(404)
	var issued struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	e.Do("POST", path(l.a, "/token"), l.adminToken, nil).Want(201).JSON(&issued)
	if issued.Token == "" || issued.ID == "" {
		t.Fatalf("issued %+v", issued)
	}
	tok := issued.Token
	for range 3 {
		e.Do("GET", path(l.a, "/rundown"), tok, nil).Want(200)
	}
	e.Do("GET", path(l.a, "/rundown?format=txt"), tok, nil).Want(200)
	e.Do("GET", path(l.a, "/airings"), tok, nil).Want(200)
	e.Do("GET", path(l.b, "/rundown"), tok, nil).Want(403)
	e.Do("POST", path(l.b, "/airings"), tok, map[string]string{"delivery_id": "x"}).Want(403)
	e.Do("GET", path(l.a, "/rundown?commune=hoa-binh"), tok, nil).Want(403)

	// On every other route of the API a station token is refused with 403.
	refused := 0
	for _, rt := range (&api.Server{}).Routes() {
		if rt.Access.Public || rt.Access.StationToken {
			continue
		}
		p := strings.NewReplacer(":id", l.a.ID, ":code", "x", ":variant", "thumb", ":token_id", issued.ID).Replace(rt.Path)
		if res := e.Do(rt.Method, p, tok, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("station token on %s %s: %d, want 403", rt.Method, rt.Path, res.StatusCode)
		}
		refused++
	}

	// Use is recorded by route; the list never shows the secret.
	res := e.Do("GET", path(l.a, "/tokens"), l.adminToken, nil).Want(200)
	var list []accounts.StationToken
	res.JSON(&list)
	if len(list) != 1 || list[0].ID != issued.ID || list[0].CreatedBy != "admin" || list[0].LastUsed == nil {
		t.Fatalf("tokens %s", res.Body)
	}
	if u := list[0].Uses; u["GET /api/v1/stations/:id/rundown"] != 6 || u["GET /api/v1/stations/:id/airings"] != 1 ||
		u["POST /api/v1/stations/:id/airings"] != 1 || list[0].UseCount != int64(8+refused) {
		t.Errorf("uses %v, count %d (refused elsewhere: %d)", u, list[0].UseCount, refused)
	}
	if strings.Contains(string(res.Body), tok) || strings.Contains(string(res.Body), strings.TrimPrefix(tok, "lts_")) {
		t.Fatal("the token list shows the secret")
	}
	e.Do("GET", path(l.b, "/tokens"), l.adminToken, nil).Want(200).JSON(&list)
	if len(list) != 0 {
		t.Errorf("station B lists A's token: %+v", list)
	}

	// Revoked: no longer a credential at all.
	e.Do("DELETE", path(l.b, "/tokens/"+issued.ID), l.adminToken, nil).Want(404)
	e.Do("DELETE", path(l.a, "/tokens/"+issued.ID), l.adminToken, nil).Want(204)
	e.Do("GET", path(l.a, "/rundown"), tok, nil).Want(401)
	e.Do("DELETE", path(l.a, "/tokens/"+issued.ID), l.adminToken, nil).Want(404)
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit", l.adminToken, nil).Want(200).JSON(&audit)
	if got := actions(audit); !strings.Contains(got, "station.token.revoke,station.token.issue") {
		t.Errorf("audit %s", got)
	}
}

func actions(list []campaigns.AuditEntry) string {
	var out []string
	for _, a := range list {
		out = append(out, a.Action)
	}
	return strings.Join(out, ",")
}

// slotOf returns the delivery id of the script at time in a rundown.
func slotOf(t *testing.T, r rundown.Rundown, at string) rundown.Script {
	t.Helper()
	for _, s := range r.Slots {
		if s.Time == at && len(s.Items) > 0 {
			return s.Items[0]
		}
	}
	t.Fatalf("no %s slot in %s", at, outline(r))
	return rundown.Script{}
}

func loudspeakerReach(t *testing.T, e *apptest.Env, l *loudspeakers) reach.Summary {
	t.Helper()
	var sum reach.Summary
	e.Do("GET", "/api/v1/reach/summary?campaign="+gbvCampaign, l.mgr, nil).Want(200).JSON(&sum)
	return sum
}

func village(sum reach.Summary, name string) reach.Village {
	for _, v := range sum.Villages {
		if v.Village == name {
			return v
		}
	}
	return reach.Village{}
}

func TestAiringsAreIdempotentAndCountReach(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	it := l.script(t, "Bình đẳng giới", words(130), map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-23"}, l.a.ID, l.b.ID)
	e.Clock.Set(time.Date(2026, 11, 23, 6, 10, 0, 0, e.Config.Location))
	ra, rb := l.rundown(t, l.opA, l.a.ID, "2026-11-23"), l.rundown(t, l.opB, l.b.ID, "2026-11-23")
	dA := slotOf(t, ra, "06:00").DeliveryID
	var tokA struct{ Token string }
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/token", l.adminToken, nil).Want(201).JSON(&tokA)

	var first, again, byDevice rundown.Airing
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]string{"delivery_id": dA}).Want(200).JSON(&first)
	if first.Status != "aired" || first.State != "sent" || first.AiredAt == nil || !first.AiredAt.Equal(e.Clock.Now()) ||
		first.ConfirmedBy != "van-hanh-dong" || first.Date != "2026-11-23" || first.Time != "06:00" {
		t.Fatalf("first confirmation %+v", first)
	}
	e.Clock.Advance(3 * time.Minute)
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]string{"delivery_id": dA}).Want(200).JSON(&again)
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", tokA.Token, map[string]any{"delivery_id": dA, "status": "aired"}).Want(200).JSON(&byDevice)
	if !again.AiredAt.Equal(*first.AiredAt) || again.ConfirmedBy != first.ConfirmedBy || !byDevice.AiredAt.Equal(*first.AiredAt) {
		t.Fatalf("repeated confirmations changed it: %+v / %+v", again, byDevice)
	}
	// The device confirms the evening slot itself, with the time it aired.
	dA2 := slotOf(t, ra, "17:30").DeliveryID
	e.Clock.Set(time.Date(2026, 11, 23, 17, 45, 0, 0, e.Config.Location))
	aired := time.Date(2026, 11, 23, 17, 31, 0, 0, e.Config.Location)
	var evening rundown.Airing
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", tokA.Token, map[string]any{"delivery_id": dA2, "aired_at": aired}).Want(200).JSON(&evening)
	if !evening.AiredAt.Equal(aired) || !strings.HasPrefix(evening.ConfirmedBy, "station-token-") {
		t.Errorf("device confirmation %+v", evening)
	}

	// Two airings at A (120 households each), none at B.
	sum := loudspeakerReach(t, e, l)
	if got := sum.Totals["loudspeaker"]; got["airings"] != 2 || got["listeners"] != 240 {
		t.Errorf("loudspeaker totals %v, want 2 airings and 240 listeners", got)
	}
	if v := village(sum, "Thôn Đông"); v.Airings != 2 || v.Listeners != 240 || v.Households != 120 || !v.Covered {
		t.Errorf("Thôn Đông %+v", v)
	}
	if v := village(sum, "Xóm Bãi"); v.Airings != 0 || v.Covered {
		t.Errorf("Xóm Bãi %+v", v)
	}
	direct, err := e.App.Reach.CampaignSummary(apptest.Scoped("lien-minh"), gbvCampaign, func(context.Context) (map[string]int, error) { return nil, nil })
	if err != nil || direct.Totals["loudspeaker"]["listeners"] != 240 {
		t.Errorf("reach.Service.CampaignSummary: %v %v", direct.Totals, err)
	}

	// A slot of another station is not this station's: 404.
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]string{"delivery_id": slotOf(t, rb, "06:00").DeliveryID}).Want(404)
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]string{}).Want(400)

	// Editors see it in the deliveries, the rundown and the audit log.
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?item="+it.ID+"&state=sent", l.ed, nil).Want(200).JSON(&list)
	if len(list) != 2 || list[0].SentAt == nil {
		t.Errorf("sent deliveries %+v", list)
	}
	if s := slotOf(t, l.rundown(t, l.ed, l.a.ID, "2026-11-23"), "06:00"); s.Status != "aired" || s.State != "sent" || s.AiredAt == nil {
		t.Errorf("rundown after airing %+v", s)
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit?item="+it.ID, l.mgr, nil).Want(200).JSON(&audit)
	if got := actions(audit); strings.Count(got, "airing.confirm") != 2 {
		t.Errorf("audit %s, want two airing.confirm", got)
	}
	var history []rundown.Airing
	e.Do("GET", "/api/v1/stations/"+l.a.ID+"/airings?from=2026-11-01&to=2026-11-30", l.mgr, nil).Want(200).JSON(&history)
	if len(history) != 2 || history[0].DeliveryID != dA || history[1].DeliveryID != dA2 || history[0].ConfirmedAt == nil {
		t.Errorf("history %+v", history)
	}
	e.Do("GET", "/api/v1/stations/"+l.a.ID+"/airings?from=2026-11-30&to=2026-11-01", l.mgr, nil).Want(400)
}

func TestSkippedSlotCountsNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	l.script(t, "Bình đẳng giới", words(40), map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-23"}, l.b.ID)
	e.Clock.Set(time.Date(2026, 11, 23, 6, 20, 0, 0, e.Config.Location))
	r := l.rundown(t, l.opB, l.b.ID, "2026-11-23")
	morning, evening := slotOf(t, r, "06:00").DeliveryID, slotOf(t, r, "17:30").DeliveryID
	post := func(body map[string]any) *apptest.Response {
		return e.Do("POST", "/api/v1/stations/"+l.b.ID+"/airings", l.opB, body)
	}
	post(map[string]any{"delivery_id": morning, "status": "skipped"}).Want(400)
	post(map[string]any{"delivery_id": morning, "status": "skipped", "reason": " ab "}).Want(400)
	post(map[string]any{"delivery_id": morning, "status": "skipped", "reason": strings.Repeat("a", 301)}).Want(400)
	post(map[string]any{"delivery_id": morning, "status": "later"}).Want(400)
	var skipped rundown.Airing
	post(map[string]any{"delivery_id": morning, "status": "skipped", "reason": "Mất điện cả thôn từ 5 giờ sáng"}).Want(200).JSON(&skipped)
	if skipped.Status != "skipped" || skipped.State != "missed" || skipped.Reason != "Mất điện cả thôn từ 5 giờ sáng" || skipped.AiredAt != nil {
		t.Fatalf("skipped %+v", skipped)
	}
	post(map[string]any{"delivery_id": morning, "status": "skipped", "reason": "Lý do khác"}).Want(200).JSON(&skipped)
	if skipped.Reason != "Mất điện cả thôn từ 5 giờ sáng" {
		t.Errorf("a repeated report changed the reason: %+v", skipped)
	}
	if v := village(loudspeakerReach(t, e, l), "Xóm Bãi"); v.Airings != 0 || v.Listeners != 0 {
		t.Errorf("a skipped slot counted reach: %+v", v)
	}
	// Editors see the skip in the rundown and the deliveries.
	if s := slotOf(t, l.rundown(t, l.ed, l.b.ID, "2026-11-23"), "06:00"); s.Status != "skipped" || s.SkipReason != "Mất điện cả thôn từ 5 giờ sáng" {
		t.Errorf("rundown shows %+v", s)
	}
	var list []deliveries.Delivery
	e.Do("GET", "/api/v1/deliveries?state=missed&channel=loudspeaker", l.ed, nil).Want(200).JSON(&list)
	if len(list) != 1 || !list[0].Skipped || list[0].SkipReason == "" || !strings.Contains(list[0].LastError, "Mất điện") {
		t.Errorf("deliveries %+v", list)
	}
	text := string(e.Do("GET", "/api/v1/stations/"+l.b.ID+"/rundown?format=txt&date=2026-11-23", l.opB, nil).Want(200).Body)
	if !strings.Contains(text, "[Không phát — lý do: Mất điện cả thôn từ 5 giờ sáng]") {
		t.Errorf("text lacks the skip:\n%s", text)
	}

	// Power came back: the evening slot aired; it cannot then be reported skipped.
	e.Clock.Set(time.Date(2026, 11, 23, 17, 40, 0, 0, e.Config.Location))
	post(map[string]any{"delivery_id": evening}).Want(200)
	if r := post(map[string]any{"delivery_id": evening, "status": "skipped", "reason": "Nhầm"}).Want(409); !strings.Contains(string(r.Body), "already confirmed") {
		t.Errorf("skip after airing: %s", r.Body)
	}
	// A morning slot skipped by mistake can still be confirmed as aired that day.
	var fixed rundown.Airing
	post(map[string]any{"delivery_id": morning, "aired_at": time.Date(2026, 11, 23, 6, 30, 0, 0, e.Config.Location)}).Want(200).JSON(&fixed)
	if fixed.Status != "aired" || fixed.Reason != "" {
		t.Errorf("skip then aired: %+v", fixed)
	}
	if v := village(loudspeakerReach(t, e, l), "Xóm Bãi"); v.Airings != 2 || v.Listeners != 170 {
		t.Errorf("after two airings: %+v", v)
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit", l.mgr, nil).Want(200).JSON(&audit)
	if got := actions(audit); strings.Count(got, "airing.skip") != 1 || strings.Count(got, "airing.confirm") != 2 {
		t.Errorf("audit %s", got)
	}
}

func TestLateConfirmationWindow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	l.script(t, "Bình đẳng giới", words(40), map[string]any{"times": []string{"06:00", "17:30"}, "from": "2026-11-23", "to": "2026-11-25"}, l.a.ID)
	r23 := l.rundown(t, l.opA, l.a.ID, "2026-11-23")
	r25 := l.rundown(t, l.opA, l.a.ID, "2026-11-25")
	morning, evening := slotOf(t, r23, "06:00").DeliveryID, slotOf(t, r23, "17:30").DeliveryID
	post := func(body map[string]any) *apptest.Response {
		return e.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, body)
	}
	// Before the slot's day: not yet; nor earlier than 15 minutes before
	// the slot, and the answer says when it opens.
	e.Clock.Set(time.Date(2026, 11, 22, 20, 0, 0, 0, e.Config.Location))
	post(map[string]any{"delivery_id": morning}).Want(409)
	e.Clock.Set(time.Date(2026, 11, 23, 5, 44, 0, 0, e.Config.Location))
	if r := post(map[string]any{"delivery_id": morning}).Want(409); !strings.Contains(string(r.Body), "05:45") {
		t.Errorf("too early, without saying when it opens: %s", r.Body)
	}
	e.Clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, e.Config.Location))
	post(map[string]any{"delivery_id": evening}).Want(409) // the evening slot is not open in the morning
	post(map[string]any{"delivery_id": morning, "aired_at": time.Date(2026, 11, 23, 5, 40, 0, 0, e.Config.Location)}).Want(400)

	// Nobody confirmed on Monday: at midnight the slots are missed.
	e.Clock.Set(time.Date(2026, 11, 24, 0, 5, 0, 0, e.Config.Location))
	if n, err := e.App.Deliveries.MissUnconfirmed(context.Background()); err != nil || n != 2 {
		t.Fatalf("missed %d, %v", n, err)
	}
	if s := slotOf(t, l.rundown(t, l.opA, l.a.ID, "2026-11-23"), "06:00"); s.Status != "missed" || s.State != "missed" {
		t.Fatalf("Monday's rundown after midnight %+v", s)
	}
	// Tuesday morning the operator confirms Monday's morning slot: sent.
	e.Clock.Set(time.Date(2026, 11, 24, 8, 0, 0, 0, e.Config.Location))
	post(map[string]any{"delivery_id": morning, "aired_at": time.Date(2026, 11, 25, 6, 0, 0, 0, e.Config.Location)}).Want(400) // in the future
	aired := time.Date(2026, 11, 23, 6, 5, 0, 0, e.Config.Location)
	var late rundown.Airing
	post(map[string]any{"delivery_id": morning, "aired_at": aired}).Want(200).JSON(&late)
	if late.State != "sent" || !late.AiredAt.Equal(aired) {
		t.Fatalf("late confirmation %+v", late)
	}
	if s := slotOf(t, l.rundown(t, l.opA, l.a.ID, "2026-11-23"), "06:00"); s.Status != "aired" {
		t.Errorf("Monday's rundown after the late confirmation %+v", s)
	}
	var timeline []reach.TimelinePoint
	e.Do("GET", "/api/v1/reach/timeline?campaign="+gbvCampaign+"&metric=listeners", l.mgr, nil).Want(200).JSON(&timeline)
	if len(timeline) != 1 || timeline[0].Date != "2026-11-23" || timeline[0].Value != 120 {
		t.Errorf("listeners are counted on the slot's day: %+v", timeline)
	}
	// Wednesday: too late for Monday's evening slot.
	e.Clock.Set(time.Date(2026, 11, 25, 0, 0, 1, 0, e.Config.Location))
	if r := post(map[string]any{"delivery_id": evening}).Want(409); !strings.Contains(string(r.Body), "too late") || !strings.Contains(string(r.Body), "24/11/2026") {
		t.Errorf("after the window: %s", r.Body)
	}
	// …but a repeat of what was confirmed in time is still the same answer.
	post(map[string]any{"delivery_id": morning}).Want(200)
	// Wednesday's own slot is fine once it opens.
	e.Clock.Set(time.Date(2026, 11, 25, 5, 50, 0, 0, e.Config.Location))
	post(map[string]any{"delivery_id": slotOf(t, r25, "06:00").DeliveryID}).Want(200)
}

func TestRundownCacheAcrossReplicas(t *testing.T) {
	t.Parallel()
	e1 := apptest.New(t)
	e2 := apptest.NewOn(t, e1.DB)
	e2.Clock.Set(e1.Clock.Now())
	l := setupLoudspeakers(t, e1)
	l.script(t, "Bài thứ nhất", words(20), map[string]any{"times": []string{"06:00"}, "from": "2026-11-23", "to": "2026-11-23"}, l.a.ID)
	get := func(e *apptest.Env) rundown.Rundown {
		var r rundown.Rundown
		e.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown?date=2026-11-23", l.ed, nil).Want(200).JSON(&r)
		return r
	}
	// within waits until replica 2 sees what cond looks for, at most 3 s
	// (the stamp is read at most once a second).
	within := func(what string, cond func(rundown.Rundown) bool) {
		t.Helper()
		start := time.Now()
		for !cond(get(e2)) {
			if time.Since(start) > 3*time.Second {
				t.Fatalf("replica 2 did not see %s within 3 s: %s", what, outline(get(e2)))
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("replica 2 saw %s after %v", what, time.Since(start).Round(time.Millisecond))
	}
	if got := outline(get(e2)); got != "06:00 Bài thứ nhất" {
		t.Fatalf("replica 2 before: %q", got)
	}
	get(e1)

	// A script approved through replica 1 shows on replica 2.
	l.script(t, "Bài thứ hai", words(20), map[string]any{"times": []string{"06:00"}, "from": "2026-11-23", "to": "2026-11-23"}, l.a.ID)
	if got := outline(get(e1)); got != "06:00 Bài thứ hai, Bài thứ nhất" {
		t.Fatalf("replica 1 does not see its own change at once: %q", got)
	}
	within("the new script", func(r rundown.Rundown) bool { return outline(r) == "06:00 Bài thứ hai, Bài thứ nhất" })

	// So do a station edit and an airing confirmation.
	e1.Do("PATCH", "/api/v1/stations/"+l.a.ID, l.adminToken, map[string]any{"households": 150}).Want(200)
	within("the new households", func(r rundown.Rundown) bool { return r.Station.Households == 150 })
	e1.Clock.Set(time.Date(2026, 11, 23, 6, 15, 0, 0, e1.Config.Location))
	e1.Do("POST", "/api/v1/stations/"+l.a.ID+"/airings", l.opA, map[string]string{"delivery_id": get(e1).Slots[0].Items[0].DeliveryID}).Want(200)
	within("the airing", func(r rundown.Rundown) bool { return r.Slots[0].Items[0].Status == "aired" })

	// A station token revoked through replica 1 stops working on replica 2.
	var issued struct{ Token, ID string }
	e1.Do("POST", "/api/v1/stations/"+l.a.ID+"/token", l.adminToken, nil).Want(201).JSON(&issued)
	e2.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown", issued.Token, nil).Want(200)
	e1.Do("DELETE", "/api/v1/stations/"+l.a.ID+"/tokens/"+issued.ID, l.adminToken, nil).Want(204)
	start := time.Now()
	for e2.Do("GET", "/api/v1/stations/"+l.a.ID+"/rundown", issued.Token, nil).StatusCode != http.StatusUnauthorized {
		if time.Since(start) > 3*time.Second {
			t.Fatal("replica 2 still accepts the revoked token after 3 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestStationValidation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin := e.Admin()
	for _, body := range []string{
		`{"name":"Cụm loa","village":"Thôn Đông","households":-1}`,
		`{"name":"Cụm loa","village":"Thôn Đông","households":"nhiều"}`,
		`{"name":"Cụm loa","village":"Thôn Đông","households":1.5}`,
		`{"name":"Cụm loa","village":"Thôn Đông","households":100001}`,
		`{"name":"  ","village":"Thôn Đông"}`,
		`{"name":"Cụm loa"}`,
		`{"name":"Cụm\nloa","village":"Thôn Đông"}`,
	} {
		if r := e.Do("POST", "/api/v1/stations", admin, body); r.StatusCode != 400 || r.ErrorCode() != "invalid_input" {
			t.Errorf("%s: %d %s", body, r.StatusCode, r.Body)
		}
	}
	var st stations.Station
	e.Do("POST", "/api/v1/stations", admin, map[string]any{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông", "households": 120, "notes": "Loa IP, 4 vế"}).Want(201).JSON(&st)
	e.Do("PATCH", "/api/v1/stations/"+st.ID, admin, `{"households":-5}`).Want(400)
	e.Do("PATCH", "/api/v1/stations/"+st.ID, admin, `{"village":""}`).Want(400)
	e.Do("PATCH", "/api/v1/stations/"+st.ID, e.User(accounts.RoleOperator, "lien-minh"), `{"households":5}`).Want(403)
	e.Do("PATCH", "/api/v1/stations/"+st.ID, admin, `{"households":135}`).Want(200).JSON(&st)
	if st.Households != 135 || st.Name != "Cụm loa Thôn Đông" || st.Notes != "Loa IP, 4 vế" {
		t.Errorf("after PATCH %+v", st)
	}
	// Operators are users whose station_ids name stations of their commune.
	user := map[string]any{"username": "van-hanh-1", "password": "mat-khau-dai-1", "role": "operator", "station_ids": []string{st.ID, "nope"}}
	if r := e.Do("POST", "/api/v1/users", admin, user).Want(400); !strings.Contains(string(r.Body), "nope") {
		t.Errorf("unknown station: %s", r.Body)
	}
	user["station_ids"] = []string{st.ID}
	e.Do("POST", "/api/v1/users", admin, user).Want(201)
}
