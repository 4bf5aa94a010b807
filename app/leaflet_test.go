package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
)

// leafletSizes are the exact sizes of the variants (SPEC §3E).
var leafletSizes = map[string]image.Point{
	"print-a5": {1748, 2480}, "print-a4": {2480, 3508}, "facebook": {1080, 1350}, "zalo": {1280, 720}, "thumb": {320, 400},
}

func TestLeafletRenderCacheAndServing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	mgr := e.User(accounts.RoleManager, "lien-minh")
	it := leafletItem(e, ed, "facebook", "print")

	v := leafletRender(e, ed, it.ID, leafletRequest(photo))
	if got := slices.Sorted(maps.Keys(v.Variants)); !slices.Equal(got, slices.Sorted(maps.Keys(leafletSizes))) {
		t.Fatalf("variants %v", got)
	}
	if !regexp.MustCompile(`^[23456789a-hjkmnp-z]{8}$`).MatchString(v.Code) || v.QRURL != e.Config.BaseURL+"/q/"+v.Code {
		t.Fatalf("code %q, qr_url %q", v.Code, v.QRURL)
	}
	if v.Cached || e.App.Media.Renders() != 1 {
		t.Fatalf("first render: cached %v, %d renders", v.Cached, e.App.Media.Renders())
	}
	if v.PDF != e.Config.BaseURL+"/api/v1/items/"+it.ID+"/leaflet.pdf" {
		t.Fatalf("pdf %q", v.PDF)
	}

	// Every variant at its exact size, upright photo, no metadata of the
	// upload, the QR code leading to this item's code; a draft's variants
	// are for signed-in users of the commune only.
	for name, url := range v.Variants {
		mediaGet(e, url, "").Want(401)
		r := mediaGet(e, url, ed).Want(200)
		if got := jpegSize(t, r.Body); got != leafletSizes[name] || v.Sizes[name].Width != got.X || v.Sizes[name].Bytes != len(r.Body) {
			t.Errorf("%s: %v (%+v), want %v", name, got, v.Sizes[name], leafletSizes[name])
		}
		if bytes.Contains(r.Body, []byte("Exif")) || bytes.Contains(r.Body, []byte("LanToaCam")) {
			t.Errorf("%s carries the upload's EXIF", name)
		}
		if r.Header.Get("ETag") != `"`+v.Key+`"` || r.Header.Get("Cache-Control") != "private, max-age=31536000, immutable" ||
			r.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("%s headers %v", name, r.Header)
		}
	}
	if got := readQR(t, mediaGet(e, v.Variants["facebook"], ed).Body); got != v.QRURL {
		t.Fatalf("the QR code says %q, want %q", got, v.QRURL)
	}
	// If-None-Match → 304, nothing sent.
	r := mediaGet(e, v.Variants["thumb"], ed, "If-None-Match", `"`+v.Key+`"`).Want(304)
	if len(r.Body) != 0 || r.Header.Get("ETag") != `"`+v.Key+`"` {
		t.Fatalf("304: %d bytes, %v", len(r.Body), r.Header)
	}
	mediaGet(e, v.Variants["thumb"], ed, "If-None-Match", `"something-else"`).Want(200)
	mediaGet(e, e.Server.URL+"/media/"+it.ID+"/poster", ed).Want(404)
	mediaGet(e, e.Server.URL+"/media/"+it.ID+"/original", ed).Want(404) // a leaflet has no "original"

	// The same request again: same URLs, nothing rendered, nothing audited.
	again := leafletRender(e, ed, it.ID, leafletRequest(photo))
	if !again.Cached || !maps.Equal(again.Variants, v.Variants) || again.Code != v.Code || e.App.Media.Renders() != 1 {
		t.Fatalf("identical request: cached %v, %d renders, %v", again.Cached, e.App.Media.Renders(), again.Variants)
	}
	var got media.LeafletView
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", mgr, nil).Want(200).JSON(&got)
	if !maps.Equal(got.Variants, v.Variants) || got.Title != v.Title || got.PhotoMediaID != photo {
		t.Fatalf("GET leaflet: %+v", got)
	}

	// The print PDF, A5 and A4.
	for page, name := range map[string]string{"": "a5", "?page=A4": "a4"} {
		r := e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet.pdf"+page, mgr, nil).Want(200)
		if !bytes.HasPrefix(r.Body, []byte("%PDF-")) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf%s: %q…, %s", page, r.Body[:min(8, len(r.Body))], r.Header.Get("Content-Type"))
		}
		want := `inline; filename="to-roi-noi-khong-voi-bao-luc-gia-dinh-` + name + `.pdf"`
		if cd := r.Header.Get("Content-Disposition"); cd != want {
			t.Fatalf("Content-Disposition %q, want %q", cd, want)
		}
	}
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet.pdf?page=A3", mgr, nil).Want(400)
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet.pdf", "", nil).Want(401)

	// Changed text: a new render and new URLs; the item keeps its code.
	req := leafletRequest(photo)
	req["template"] = media.TemplateFullBleed
	changed := leafletRender(e, ed, it.ID, req)
	if changed.Cached || changed.Code != v.Code || changed.Variants["facebook"] == v.Variants["facebook"] || e.App.Media.Renders() != 2 {
		t.Fatalf("changed: cached %v, code %s, %d renders", changed.Cached, changed.Code, e.App.Media.Renders())
	}
	var audit []campaigns.AuditEntry
	e.Do("GET", "/api/v1/audit?item="+it.ID, mgr, nil).Want(200).JSON(&audit)
	if n := countActions(audit, "item.leaflet"); n != 2 {
		t.Fatalf("%d item.leaflet audit entries, want 2 (one per change): %+v", n, audit)
	}

	// Approved, the variants are public and cached for good by anyone;
	// an old URL is still served, but revalidated.
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	pub := mediaGet(e, changed.Variants["zalo"], "").Want(200)
	if pub.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || jpegSize(t, pub.Body) != leafletSizes["zalo"] {
		t.Fatalf("published: %v", pub.Header)
	}
	mediaGet(e, changed.Variants["zalo"], "", "If-None-Match", `"`+changed.Key+`"`).Want(304)
	if old := mediaGet(e, v.Variants["zalo"], "").Want(200); old.Header.Get("Cache-Control") != "public, no-cache" {
		t.Fatalf("an old URL: %v", old.Header)
	}
	// Approved content cannot change its leaflet; asking for it as it is works.
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", ed, leafletRequest(photo)).Want(409)
	if same := leafletRender(e, ed, it.ID, req); !same.Cached || !maps.Equal(same.Variants, changed.Variants) {
		t.Fatalf("the approved leaflet asked for again: %+v", same)
	}
	// Editing the item returns it to draft: private again.
	e.Do("PATCH", "/api/v1/items/"+it.ID, ed, map[string]string{"title": "Tờ rơi (sửa)"}).Want(200)
	mediaGet(e, changed.Variants["zalo"], "").Want(401)
}

func countActions(audit []campaigns.AuditEntry, action string) int {
	n := 0
	for _, a := range audit {
		if a.Action == action {
			n++
		}
	}
	return n
}

func TestLeafletRequestValidation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "print")
	for field, mutate := range map[string]func(map[string]string){
		"title":          func(m map[string]string) { m["title"] = " " },
		"body":           func(m map[string]string) { m["body"] = strings.Repeat("chữ ", 200) },
		"template":       func(m map[string]string) { m["template"] = "poster" },
		"photo_media_id": func(m map[string]string) { delete(m, "photo_media_id") },
	} {
		m := leafletRequest(photo)
		mutate(m)
		var b struct{ Error struct{ Field string } }
		e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", ed, m).Want(400).JSON(&b)
		if b.Error.Field != field {
			t.Errorf("%s: error names %q", field, b.Error.Field)
		}
	}
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", ed, leafletRequest("no-such-photo")).Want(404)
	e.Do("POST", "/api/v1/items/no-such-item/leaflet", ed, leafletRequest(photo)).Want(404)
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", e.User(accounts.RoleManager, "lien-minh"), leafletRequest(photo)).Want(403)
	var post campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": mediaCampaign, "kind": "post", "title": "Bài", "body": "Nội dung",
		"channels": []string{"facebook"}, "schedule": map[string]any{"at": "2026-11-25T06:00:00+07:00"}}).Want(201).JSON(&post)
	e.Do("POST", "/api/v1/items/"+post.ID+"/leaflet", ed, leafletRequest(photo)).Want(409)
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", ed, nil).Want(404)
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet.pdf", ed, nil).Want(404)
	if e.App.Media.Renders() != 0 {
		t.Fatalf("%d renders from bad requests", e.App.Media.Renders())
	}
	if n, _ := e.DB.Collection("qr_codes").CountDocuments(t.Context(), bson.M{}); n != 0 {
		t.Fatalf("%d QR codes made for bad requests", n)
	}
}

// TestLeafletItemNeedsItsLeaflet: a leaflet item without a rendered leaflet
// can be neither submitted nor approved, so it never goes out as text.
func TestLeafletItemNeedsItsLeaflet(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	mgr := e.User(accounts.RoleManager, "lien-minh")
	it := leafletItem(e, ed, "facebook")
	if r := e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(409); !strings.Contains(string(r.Body), "render the leaflet first") {
		t.Fatalf("submit without a leaflet: %s", r.Body)
	}
	// Submitted some other way (an older version, a restored backup): the
	// manager cannot approve it either.
	if _, err := e.DB.Collection("items").UpdateOne(t.Context(), bson.M{"_id": it.ID}, bson.M{"$set": bson.M{"status": "submitted"}}); err != nil {
		t.Fatal(err)
	}
	if r := e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(409); !strings.Contains(string(r.Body), "render the leaflet first") {
		t.Fatalf("approve without a leaflet: %s", r.Body)
	}
	if _, err := e.DB.Collection("items").UpdateOne(t.Context(), bson.M{"_id": it.ID}, bson.M{"$set": bson.M{"status": "draft"}}); err != nil {
		t.Fatal(err)
	}
	leafletRender(e, ed, it.ID, leafletRequest(photo))
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
}

// TestMediaCommuneIsolation: another commune's editor cannot render from
// your photo, nor read your photo, private variants or PDF.
func TestMediaCommuneIsolation(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "print")
	v := leafletRender(e, ed, it.ID, leafletRequest(photo))

	e.Do("POST", "/api/v1/communes", e.Admin(), map[string]string{"name": "Xã Yên Thắng"}).Want(201)
	other := e.User(accounts.RoleEditor, "xa-yen-thang")
	var theirs campaigns.Item
	e.Do("POST", "/api/v1/items", other, map[string]any{"campaign_id": "xa-yen-thang-gbv-month-2026", "kind": "leaflet",
		"title": "Tờ rơi", "body": "Nội dung", "channels": []string{"print"}, "schedule": map[string]any{"at": "2026-11-25T06:00:00+07:00"}}).
		Want(201).JSON(&theirs)
	e.Do("POST", "/api/v1/items/"+theirs.ID+"/leaflet", other, leafletRequest(photo)).Want(404)
	e.Do("POST", "/api/v1/items/"+it.ID+"/leaflet", other, leafletRequest(photo)).Want(404)
	mediaGet(e, e.Server.URL+"/media/"+photo+"/original", other).Want(404)
	mediaGet(e, e.Server.URL+"/media/"+photo+"/original", "").Want(401)
	mediaGet(e, v.Variants["print-a5"], other).Want(404)
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet.pdf", other, nil).Want(404)
	e.Do("GET", "/api/v1/items/"+it.ID+"/leaflet", other, nil).Want(404)
	// Nor attach it to a post of theirs.
	r := e.Do("POST", "/api/v1/items", other, map[string]any{"campaign_id": "xa-yen-thang-gbv-month-2026", "kind": "post",
		"title": "Bài", "body": "Nội dung", "channels": []string{"facebook"}, "media_ids": []string{photo},
		"schedule": map[string]any{"at": "2026-11-25T06:00:00+07:00"}}).Want(400)
	if !strings.Contains(string(r.Body), `"field":"media_ids"`) {
		t.Fatalf("a foreign photo on a post: %s", r.Body)
	}
	// The province reads it by naming the commune.
	prov := e.User(accounts.RoleProvince, "xa-yen-thang")
	mediaGet(e, v.Variants["print-a5"], prov).Want(404)
	mediaGet(e, v.Variants["print-a5"]+"&commune=lien-minh", prov).Want(200)
}

// TestLeafletConcurrentFirstRequests: editors asking for the same new
// leaflet at once get one QR code and one render between them.
func TestLeafletConcurrentFirstRequests(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ed, photo := mediaEditor(e)
	it := leafletItem(e, ed, "print")
	body, _ := json.Marshal(leafletRequest(photo))
	const n = 4
	views := make([]media.LeafletView, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/items/"+it.ID+"/leaflet", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+ed)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer res.Body.Close()
			if res.StatusCode != 200 {
				errs[i] = fmt.Errorf("status %d", res.StatusCode)
				return
			}
			errs[i] = json.NewDecoder(res.Body).Decode(&views[i])
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if views[i].Code != views[0].Code || !maps.Equal(views[i].Variants, views[0].Variants) {
			t.Fatalf("request %d got %s %v, request 0 %s %v", i, views[i].Code, views[i].Variants, views[0].Code, views[0].Variants)
		}
	}
	if e.App.Media.Renders() != 1 {
		t.Fatalf("%d renders for one leaflet", e.App.Media.Renders())
	}
	if n, _ := e.DB.Collection("qr_codes").CountDocuments(t.Context(), bson.M{}); n != 1 {
		t.Fatalf("%d QR codes for one item", n)
	}
}
