package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
)

// storeDump is every document of every collection, as canonical extended
// JSON by collection, sorted by _id: what "nothing changed" is checked against.
func storeDump(t *testing.T, e *apptest.Env) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := e.DB.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range names {
		cur, err := e.DB.Collection(n).Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			j, err := bson.MarshalExtJSON(d, true, false)
			if err != nil {
				t.Fatal(err)
			}
			out[n] = append(out[n], string(j))
		}
	}
	return out
}

// summaries is every figure a person reads: the campaign, the year, the
// province and the annual report (CSV).
func summaries(t *testing.T, f *reportFixture) map[string]string {
	t.Helper()
	admin := f.e.Admin()
	return map[string]string{
		"campaign": string(f.e.Do("GET", "/api/v1/reach/summary?campaign=lien-minh-gbv-month-2026", f.mgr, nil).Want(200).Body),
		"year":     string(f.e.Do("GET", "/api/v1/reach/summary?year=2026", f.mgr, nil).Want(200).Body),
		"province": string(f.e.Do("GET", "/api/v1/province/reach/summary?year=2026", admin, nil).Want(200).Body),
		"report":   string(f.download(t, "csv")),
	}
}

// TestHostileInputChangesNothing sends, as signed-in users of every role
// that may write, input of every class the hardening issue names, and
// checks each time that the answer is a client error in the SPEC's shape
// and that every stored document and every summary is unchanged (issue 13).
func TestHostileInputChangesNothing(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	e := f.e
	admin, ed := e.Admin(), e.User(accounts.RoleEditor, "lien-minh")
	op := e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", f.stations[0].ID)
	var draft campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "script",
		"title": "Bài phát thanh", "body": "Nội dung.", "channels": []string{"loudspeaker"},
		"station_ids": []string{f.stations[0].ID}, "schedule": map[string]any{"times": []string{"06:00"},
			"from": "2026-11-21", "to": "2026-11-22"}}).Want(201).JSON(&draft)
	e.Do("POST", "/api/v1/items/"+draft.ID+"/submit", ed, nil).Want(200)
	huge := make([]string, 100_000)
	for i := range huge {
		huge[i] = "event" // 800 kB of JSON: under the 1 MB body limit, so the list cap is what refuses it
	}
	item := func(mod func(map[string]any)) map[string]any {
		m := map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "kind": "post", "title": "Tiêu đề", "body": "Nội dung",
			"channels": []string{"facebook"}, "schedule": map[string]any{"at": e.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}}
		mod(m)
		return m
	}
	reachEntry := func(village string, value int64) map[string]any {
		return map[string]any{"campaign_id": "lien-minh-gbv-month-2026", "channel": "print", "metric": "copies",
			"value": value, "date": "2026-11-19", "village": village}
	}
	cases := []struct {
		name, method, path, token string
		body                      any
	}{
		{"reach village with NUL", "POST", "/api/v1/reach", f.mgr, reachEntry("Thôn\x00Đông", 5)},
		{"reach village with escape", "POST", "/api/v1/reach", f.mgr, reachEntry("\x1b[31mThôn", 5)},
		{"reach village with C1 control", "POST", "/api/v1/reach", f.mgr, reachEntry("Thôn\u0085", 5)},
		{"reach value beyond 10⁹", "POST", "/api/v1/reach", f.mgr, reachEntry("Thôn Đông", 1<<60)},
		{"reach reason with NUL", "POST", "/api/v1/reach", f.mgr, map[string]any{"campaign_id": "lien-minh-gbv-month-2026",
			"channel": "print", "metric": "copies", "value": -5, "date": "2026-11-19", "reason": "sai\x00số"}},
		{"item title with NUL", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["title"] = "a\x00b" })},
		{"item body with bell", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["body"] = "chuông\a" })},
		{"item with 100,000 channels", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["channels"] = huge })},
		{"item with 100,000 audiences", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["audiences"] = huge })},
		{"item media id with NUL", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["media_ids"] = []string{"a\x00"} })},
		{"item link with newline", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["link"] = "https://x.vn/\nSet-Cookie: a=b" })},
		{"item link javascript", "POST", "/api/v1/items", ed, item(func(m map[string]any) { m["link"] = "javascript:alert(1)" })},
		{"trailing JSON", "POST", "/api/v1/items", ed, `{"campaign_id":"lien-minh-gbv-month-2026"}{"kind":"post"}`},
		{"trailing garbage", "POST", "/api/v1/reach", f.mgr, `{"campaign_id":"x"} garbage`},
		{"item edit with control", "PATCH", "/api/v1/items/" + f.postID, ed, map[string]any{"title": "x\x7fy"}},
		{"reject reason with NUL", "POST", "/api/v1/items/" + draft.ID + "/reject", f.mgr, map[string]any{"reason": "không\x00đạt"}},
		{"campaign target beyond 10⁹", "PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin,
			map[string]any{"targets": map[string]int64{"print": 1 << 50}}},
		{"campaign negative budget", "PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin, map[string]any{"budget_vnd": -1}},
		{"campaign title with NUL", "PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin, map[string]any{"title": "\x00"}},
		{"campaign unknown target key", "PATCH", "/api/v1/campaigns/lien-minh-gbv-month-2026", admin,
			map[string]any{"targets": map[string]int64{"pri.nt": 5, "$x": 1}}},
		{"station name with NUL", "POST", "/api/v1/stations", admin, map[string]any{"name": "Cụm\x00", "village": "Thôn", "households": 3}},
		{"station village noncharacter", "PATCH", "/api/v1/stations/" + f.stations[0].ID, admin, map[string]any{"village": "Thôn\uFFFF"}},
		{"user display name with NUL", "POST", "/api/v1/users", admin, map[string]any{"username": "nguoimoi",
			"password": "tre-xanh-ven-song", "role": "editor", "display_name": "A\x00"}},
		{"user with a common password", "POST", "/api/v1/users", admin, map[string]any{"username": "nguoimoi",
			"password": "password123", "role": "editor"}},
		{"user with unknown station", "POST", "/api/v1/users", admin, map[string]any{"username": "nguoimoi",
			"password": "tre-xanh-ven-song", "role": "operator", "station_ids": []string{"x\x00"}}},
		{"commune name with escape", "POST", "/api/v1/communes", admin, map[string]any{"name": "Xã \x1b"}},
		{"airing skip reason with NUL", "POST", "/api/v1/stations/" + f.stations[0].ID + "/airings", op,
			map[string]any{"delivery_id": "nope", "status": "skipped", "reason": "mất\x00điện"}},
		{"item id with NUL in the path", "GET", "/api/v1/items/a%00b", ed, nil},
		{"report signer with NUL", "GET", "/api/v1/reports/annual?year=2026&format=csv&signer=a%00b", f.mgr, nil},
		{"body over 1 MB", "POST", "/api/v1/items", ed, `{"title":"` + strings.Repeat("a", 1<<20) + `"}`},
	}
	for _, tok := range []string{admin, ed, op, f.mgr} { // sign-ins note their use once an hour: let them
		e.Do("GET", "/api/v1/me", tok, nil).Want(200)
	}
	storeBefore, sumBefore := storeDump(t, e), summaries(t, f)
	for _, c := range cases {
		start := time.Now()
		res := e.Do(c.method, c.path, c.token, c.body)
		took := time.Since(start)
		if !slices.Contains([]int{400, 404, 413, 422}, res.StatusCode) || res.ErrorCode() == "" {
			t.Errorf("%s: status %d, body %.300s", c.name, res.StatusCode, res.Body)
			continue
		}
		if strings.Contains(c.name, "100,000") {
			t.Logf("%s refused in %s (status %d)", c.name, took, res.StatusCode)
			if res.StatusCode != 400 {
				t.Errorf("%s: status %d, want 400 from the list cap", c.name, res.StatusCode)
			}
		}
		if got := storeDump(t, e); !equalDumps(storeBefore, got) {
			t.Fatalf("%s changed the store:\n%s", c.name, diffDumps(storeBefore, got))
		}
	}
	if got := summaries(t, f); fmt.Sprint(got) != fmt.Sprint(sumBefore) {
		t.Fatalf("the summaries changed:\nbefore %v\nafter  %v", sumBefore, got)
	}
	// The background jobs that once turned one bad document into lost
	// figures run, and change nothing either.
	ctx := apptest.Scoped("lien-minh")
	if _, err := e.App.Reach.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Deliveries.Retell(ctx); err != nil {
		t.Fatal(err)
	}
	if got := summaries(t, f); fmt.Sprint(got) != fmt.Sprint(sumBefore) {
		t.Fatalf("the summaries changed after the jobs ran:\nbefore %v\nafter  %v", sumBefore, got)
	}
}

func equalDumps(a, b map[string][]string) bool {
	return diffDumps(a, b) == ""
}

func diffDumps(a, b map[string][]string) string {
	var out bytes.Buffer
	for n, docs := range b {
		if !slices.Equal(a[n], docs) {
			fmt.Fprintf(&out, "collection %s: %d → %d documents\n", n, len(a[n]), len(docs))
			for _, d := range docs {
				if !slices.Contains(a[n], d) {
					var v any
					_ = json.Unmarshal([]byte(d), &v)
					fmt.Fprintf(&out, "  new or changed: %.400s\n", d)
				}
			}
		}
	}
	for n := range a {
		if _, ok := b[n]; !ok {
			fmt.Fprintf(&out, "collection %s vanished\n", n)
		}
	}
	return out.String()
}
