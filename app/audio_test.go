package app_test

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/audio/audiotest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/rundown"
)

// TestAudioUpload: a quiet recording uploaded to a script comes back as
// broadcast MP3 at −16 LUFS, served byte for byte under its SHA-256; the
// same upload again is the same sound, stored once; what is no sound, a
// damaged file and silence are refused with 415 and 422.
func TestAudioUpload(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, words(130), l.a.ID)
	wav := audioTone(t, "wav")

	var got audioAnswer
	audioUpload(e, l.ed, it.ID, wav, "").Want(201).JSON(&got)
	if got.Format != "mp3" || got.Source != campaigns.AudioUpload || len(got.SHA256) != 64 ||
		math.Abs(got.DurationSeconds-6) > 0.1 || math.Abs(got.LoudnessLUFS+16) > 1 ||
		got.URL != e.Server.URL+"/media/audio/"+got.ID+".mp3" || got.ItemVersion != 2 || got.ItemStatus != campaigns.StatusDraft {
		t.Fatalf("upload answered %+v", got)
	}
	res := mediaGet(e, got.URL, l.ed).Want(200)
	if audioSum(res.Body) != got.SHA256 || res.Header.Get("Content-Type") != "audio/mpeg" ||
		res.Header.Get("ETag") != `"`+got.SHA256+`"` || res.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("served %d bytes (sha %s), headers %v", len(res.Body), audioSum(res.Body), res.Header)
	}

	// The same file again (as a recording): the same sound, stored once,
	// and the script unchanged (no new version to approve).
	var again audioAnswer
	audioUpload(e, l.ed, it.ID, wav, "recording").Want(201).JSON(&again)
	if again.ID != got.ID || again.SHA256 != got.SHA256 || again.Source != campaigns.AudioUpload || again.ItemVersion != 2 {
		t.Fatalf("the same upload gave %+v, first %+v", again, got)
	}
	for coll, want := range map[string]int64{"audio": 1, "fs.files": 1} {
		n, err := e.DB.Collection(coll).CountDocuments(context.Background(), bson.M{})
		if err != nil || n != want {
			t.Errorf("%s holds %d documents (%v), want %d", coll, n, err, want)
		}
	}
	st := audioStateOf(e, l.mgr, it.ID)
	if st.Audio == nil || st.Audio.ID != got.ID || st.Audio.Source != campaigns.AudioUpload || !st.Audio.MatchesText || st.TTS != nil {
		t.Fatalf("state %+v", st)
	}

	// What is no sound, a damaged file, silence.
	for name, c := range map[string]struct {
		data   []byte
		status int
		code   string
	}{
		"text":      {[]byte("#EXTM3U\nfile:///etc/passwd\n"), 415, "unsupported_media_type"},
		"truncated": {wav[:44], 422, "corrupt_audio"},
		"silence":   {audiotest.Make(t, audiotest.Sound{Seconds: 3, Format: "ogg"}), 422, "silent_audio"},
	} {
		if r := audioUpload(e, l.ed, it.ID, c.data, ""); r.StatusCode != c.status || r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", name, r.StatusCode, r.Body, c.status, c.code)
		}
	}
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio", l.ed, `{"file":"x"}`).Want(400)
	audioUpload(e, l.opA, it.ID, wav, "").Want(403)
	audioUpload(e, l.ed, "nope", wav, "").Want(404)
	var post campaigns.Item
	e.Do("POST", "/api/v1/items", l.ed, map[string]any{"campaign_id": gbvCampaign, "kind": "post", "title": "Bài đăng", "body": "Nội dung",
		"channels": []string{"portal"}, "schedule": map[string]any{"at": "2026-11-25T08:00:00+07:00"}}).Want(201).JSON(&post)
	if r := audioUpload(e, l.ed, post.ID, wav, ""); r.StatusCode != 409 {
		t.Errorf("audio on a post: %d %s", r.StatusCode, r.Body)
	}
	archiveSound(t, e)
}

// TestAudioSendsApprovedScriptBack: adding, replacing or removing the
// sound of an approved script takes it back to draft and cancels its
// pending deliveries, like an edit; approved again, its rundown and the
// loudspeaker push carry the sound, and the push's SHA-256 is that of the
// bytes an IP loudspeaker system downloads.
func TestAudioSendsApprovedScriptBack(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	vendor := &loudspeakerVendor{}
	srv := httptest.NewServer(vendor)
	t.Cleanup(srv.Close)
	e := apptest.New(t, func(c *config.Config) {
		c.LoudspeakerWebhookURL, c.LoudspeakerWebhookSecret = srv.URL, "loa-secret"
	})
	l := setupLoudspeakers(t, e)
	it := l.script(t, "Bình đẳng giới", words(130), map[string]any{"times": []string{"17:30"}, "from": "2026-11-20", "to": "2026-11-21"}, l.a.ID)
	queued := func() int {
		var list []deliveries.Delivery
		e.Do("GET", "/api/v1/deliveries?item="+it.ID+"&state=queued", l.mgr, nil).Want(200).JSON(&list)
		return len(list)
	}
	if n := queued(); n != 2 {
		t.Fatalf("%d queued deliveries before, want 2", n)
	}
	var up audioAnswer
	audioUpload(e, l.ed, it.ID, audioTone(t, "m4a"), "").Want(201).JSON(&up)
	if up.ItemStatus != campaigns.StatusDraft || up.ItemVersion != 2 || queued() != 0 {
		t.Fatalf("after adding sound: %+v, %d queued", up, queued())
	}
	audit, err := e.App.Campaigns.ListAudit(apptest.Scoped("lien-minh"), it.ID, "", 10)
	if err != nil || !strings.HasPrefix(actions(audit), "item.audio.set,") || !strings.Contains(audit[0].Detail, "was approved: back to draft, 2 pending") {
		t.Fatalf("audit %v %+v", err, audit)
	}
	// Not published: the public may not hear it.
	mediaGet(e, up.URL, "").Want(401)

	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", l.mgr, nil).Want(200)
	sc := slotOf(t, l.rundown(t, l.opA, l.a.ID, "2026-11-20"), "17:30")
	if sc.Audio == nil || sc.Audio.URL != up.URL || sc.Audio.SHA256 != up.SHA256 || sc.Audio.DurationSeconds != up.DurationSeconds {
		t.Fatalf("rundown script %+v, upload %+v", sc, up)
	}
	pub := mediaGet(e, up.URL, "").Want(200)
	if cc := pub.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("published sound: Cache-Control %q", cc)
	}

	// The push of tomorrow's rundown carries the sound, and its bytes.
	e.Clock.Set(time.Date(2026, 11, 20, 18, 0, 0, 0, e.Config.Location))
	if n, err := e.App.Pusher.Push(context.Background()); err != nil || n != 2 {
		t.Fatalf("pushed %d, %v", n, err)
	}
	vendor.mu.Lock()
	msgs := vendor.got
	vendor.mu.Unlock()
	var pushed *rundown.Audio
	for _, m := range msgs {
		if m.Rundown.Station.ID == l.a.ID && len(m.Rundown.Slots) == 1 {
			pushed = m.Rundown.Slots[0].Items[0].Audio
		}
	}
	if pushed == nil {
		t.Fatalf("the push carries no sound: %+v", msgs)
	}
	if got := mediaGet(e, pushed.URL, "").Want(200); audioSum(got.Body) != pushed.SHA256 || pushed.SHA256 != up.SHA256 {
		t.Fatalf("the system downloads %s, the push says %s", audioSum(got.Body), pushed.SHA256)
	}

	// Replacing it and removing it send it back again.
	var rep audioAnswer
	audioUpload(e, l.ed, it.ID, audioTone(t, "mp3"), "").Want(201).JSON(&rep)
	if rep.ItemStatus != campaigns.StatusDraft || rep.ID == up.ID {
		t.Fatalf("replaced: %+v", rep)
	}
	mediaGet(e, up.URL, "").Want(401) // no item carries the old sound any more
	mediaGet(e, up.URL, l.ed).Want(404)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", l.mgr, nil).Want(200)
	e.Do("DELETE", "/api/v1/items/"+it.ID+"/audio", l.ed, nil).Want(204)
	var after campaigns.Item
	e.Do("GET", "/api/v1/items/"+it.ID, l.ed, nil).Want(200).JSON(&after)
	if after.Status != campaigns.StatusDraft || after.Audio != nil || after.Version != 4 {
		t.Fatalf("after removing: %s v%d audio %+v", after.Status, after.Version, after.Audio)
	}
	e.Do("DELETE", "/api/v1/items/"+it.ID+"/audio", l.ed, nil).Want(204) // nothing to remove: nothing changes
	e.Do("GET", "/api/v1/items/"+it.ID, l.ed, nil).Want(200).JSON(&after)
	if after.Version != 4 {
		t.Errorf("removing no sound made version %d", after.Version)
	}
}

// TestAudioAccess: a sound is heard "as the script's rundown" — the
// commune's editors, managers and admins, the operators and station tokens
// of a station it is read on — with ranges and entity tags, for a device
// resuming a download on a slow link.
func TestAudioAccess(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, words(60), l.a.ID)
	var up audioAnswer
	audioUpload(e, l.ed, it.ID, audioTone(t, "webm"), "recording").Want(201).JSON(&up)
	var tokA, tokB struct {
		Token string `json:"token"`
	}
	e.Do("POST", "/api/v1/stations/"+l.a.ID+"/token", l.adminToken, nil).Want(201).JSON(&tokA)
	e.Do("POST", "/api/v1/stations/"+l.b.ID+"/token", l.adminToken, nil).Want(201).JSON(&tokB)
	if err := e.App.Accounts.EnsureCommune(context.Background(), "hoa-binh", "Xã Hòa Bình"); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int{
		l.ed: 200, l.mgr: 200, l.adminToken: 200, l.opA: 200, tokA.Token: 200,
		l.opB: 404, tokB.Token: 404, e.User(accounts.RoleProvince, "lien-minh"): 404,
		e.User(accounts.RoleEditor, "hoa-binh"): 404, "": 401,
	} {
		if got := mediaGet(e, up.URL, who).StatusCode; got != want {
			t.Errorf("%.12s…: %d, want %d", who, got, want)
		}
	}
	full := mediaGet(e, up.URL, tokA.Token).Want(200).Body
	part := mediaGet(e, up.URL, tokA.Token, "Range", "bytes=0-99").Want(206)
	if !bytes.Equal(part.Body, full[:100]) || part.Header.Get("Content-Range") != "bytes 0-99/"+strconv.Itoa(len(full)) {
		t.Errorf("first 100 bytes: %d bytes, Content-Range %q", len(part.Body), part.Header.Get("Content-Range"))
	}
	rest := mediaGet(e, up.URL, tokA.Token, "Range", "bytes=100-", "If-Range", `"`+up.SHA256+`"`).Want(206)
	if !bytes.Equal(append(part.Body, rest.Body...), full) {
		t.Error("the two ranges are not the file")
	}
	mediaGet(e, up.URL, tokA.Token, "If-None-Match", `"`+up.SHA256+`"`).Want(304)
	mediaGet(e, up.URL, tokA.Token, "Range", "bytes=99999999-").Want(416)
	mediaGet(e, e.Server.URL+"/media/audio/"+up.ID, l.ed).Want(404)
	mediaGet(e, e.Server.URL+"/media/audio/0123456789abcdef0123456789abcdef.mp3", l.ed).Want(404)
}

// TestAudioWithoutFFmpeg: a service whose ffmpeg is missing starts and
// runs; the audio routes answer 503 naming the Debian package.
func TestAudioWithoutFFmpeg(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, func(c *config.Config) {
		c.Audio.FFmpeg = filepath.Join(t.TempDir(), "ffmpeg")
		c.Audio.Provider = config.ProviderEspeak
	})
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, words(60), l.a.ID)
	for _, r := range []*apptest.Response{
		audioUpload(e, l.ed, it.ID, []byte("RIFF\x00\x00\x00\x00WAVE"), ""),
		e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`),
	} {
		if r.StatusCode != http.StatusServiceUnavailable || r.ErrorCode() != "audio_unavailable" || !strings.Contains(string(r.Body), "ffmpeg") {
			t.Errorf("%s: %d %s", r.Request.URL.Path, r.StatusCode, r.Body)
		}
	}
	e.Do("GET", "/api/v1/items/"+it.ID, l.ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", l.ed, nil).Want(200)
	e.Do("GET", "/readyz", "", nil).Want(200)
}
