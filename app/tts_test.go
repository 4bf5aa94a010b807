package app_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/audio"
	"github.com/lantoa/lantoa/audio/audiotest"
	"github.com/lantoa/lantoa/audio/fpttest"
	"github.com/lantoa/lantoa/audio/vbeetest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
	"github.com/lantoa/lantoa/scriptaudio"
)

// ttsScript is a script with what the reader must say right: a date, a
// hotline and the programme's abbreviations.
const ttsScript = "Sáng 25/11, UBND xã phát động Tháng hành động vì bình đẳng giới và phòng ngừa BLGĐ. " +
	"Khi bị bạo lực, hãy gọi 111 hoặc báo công an xã."

// TestTTSWithFPT: "read aloud" through the API against a fake FPT.AI:
// 202, then the clock's job submits the text (numbers, dates, hotlines and
// abbreviations in words), polls the async link through its 404s, and the
// sound appears on the script; a throttled provider is retried with
// backoff; a job survives a restart and runs once with two replicas.
func TestTTSWithFPT(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	fake := fpttest.New(t, "khoa-fpt", 2)
	fpt := func(c *config.Config) {
		c.Audio.Provider, c.Audio.APIKey, c.Audio.URL = config.ProviderFPT, "khoa-fpt", fake.TTSURL()
	}
	e := apptest.New(t, fpt)
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, ttsScript, l.a.ID)
	ctx := context.Background()

	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{"voice":"nobody"}`).Want(400)
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{"speed":3}`).Want(400)
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.mgr, `{}`).Want(403)
	var req struct{ TTS scriptaudio.TTSStatus }
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{"voice":"lannhi","speed":1.2}`).Want(202).JSON(&req)
	if req.TTS.State != scriptaudio.JobQueued || req.TTS.Voice != "lannhi" || req.TTS.Provider != "fpt" {
		t.Fatalf("queued %+v", req.TTS)
	}
	if st := audioStateOf(e, l.ed, it.ID); st.Audio != nil || st.TTS == nil || st.TTS.State != scriptaudio.JobQueued {
		t.Fatalf("before the clock: %+v", st)
	}
	if n, err := e.App.Audio.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("ran %d jobs, %v", n, err)
	}
	st := audioStateOf(e, l.ed, it.ID)
	if st.Audio == nil || st.Audio.Source != campaigns.AudioTTS || st.Audio.Voice != "fpt/lannhi" || st.TTS.State != scriptaudio.JobDone ||
		st.TTS.AudioID != st.Audio.ID || st.ItemVersion != 2 {
		t.Fatalf("after the job: %+v %+v", st, st.TTS)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Voice != "lannhi" || reqs[0].Speed != "1" || fake.LinkGets() != 3 {
		t.Fatalf("FPT got %+v, link fetched %d times (want 404, 404, 200)", reqs, fake.LinkGets())
	}
	for _, said := range []string{"ngày hai mươi lăm tháng mười một", "Ủy ban nhân dân", "bạo lực gia đình", "gọi một một một"} {
		if !strings.Contains(reqs[0].Text, said) {
			t.Errorf("the text read does not say %q: %s", said, reqs[0].Text)
		}
	}
	mediaGet(e, st.Audio.URL, l.opA).Want(200)

	// Throttled: back in the queue, 30 s later, then done.
	fake.Throttle(1)
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`).Want(202)
	if n, _ := e.App.Audio.RunDue(ctx); n != 1 {
		t.Fatalf("ran %d", n)
	}
	st = audioStateOf(e, l.ed, it.ID)
	if st.TTS.State != scriptaudio.JobQueued || st.TTS.Attempts != 1 || st.TTS.ErrorKind != scriptaudio.FailTransient ||
		st.TTS.NextAt == nil || st.TTS.NextAt.Sub(e.Clock.Now()) != 30*time.Second {
		t.Fatalf("after a 429: %+v", st.TTS)
	}
	if n, _ := e.App.Audio.RunDue(ctx); n != 0 {
		t.Fatalf("ran %d before its time", n)
	}
	e.Clock.Advance(31 * time.Second)
	if n, _ := e.App.Audio.RunDue(ctx); n != 1 {
		t.Fatalf("ran %d after the wait", n)
	}
	// (The fake's sound depends on the text alone: the same sound again,
	// which changes nothing on the script.)
	if st = audioStateOf(e, l.ed, it.ID); st.TTS.State != scriptaudio.JobDone || st.TTS.Attempts != 2 || st.ItemVersion != 2 {
		t.Fatalf("after the retry: %+v %+v", st.TTS, st.Audio)
	}

	// Asked for a new text, then the service restarts: the job is in the
	// store. Two replicas share it: one runs it.
	e.Do("PATCH", "/api/v1/items/"+it.ID, l.ed, map[string]any{"body": ttsScript + " Xin cảm ơn."}).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{"voice":"leminh"}`).Want(202)
	e1, e2 := apptest.NewOn(t, e.DB, fpt), apptest.NewOn(t, e.DB, fpt)
	e1.Clock.Set(e.Clock.Now())
	e2.Clock.Set(e.Clock.Now())
	var wg sync.WaitGroup
	ran := make([]int, 2)
	for i, r := range []*apptest.Env{e1, e2} {
		wg.Add(1)
		go func() { defer wg.Done(); ran[i], _ = r.App.Audio.RunDue(ctx) }()
	}
	wg.Wait()
	if ran[0]+ran[1] != 1 || len(fake.Requests()) != 4 {
		t.Fatalf("the replicas ran %v; FPT got %d requests, want 4", ran, len(fake.Requests()))
	}
	if st = audioStateOf(e1, l.ed, it.ID); st.Audio.Voice != "fpt/leminh" {
		t.Fatalf("after the restart: %+v", st.Audio)
	}

	// An edit of the text before the sound comes: the old reading is dropped.
	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`).Want(202)
	e.Do("PATCH", "/api/v1/items/"+it.ID, l.ed, map[string]any{"body": ttsScript}).Want(200)
	if n, _ := e.App.Audio.RunDue(ctx); n != 1 {
		t.Fatal("the job did not run")
	}
	if st = audioStateOf(e, l.ed, it.ID); st.TTS.State != scriptaudio.JobFailed || st.TTS.ErrorKind != scriptaudio.FailTextChanged ||
		st.Audio.Voice != "fpt/leminh" || st.Audio.MatchesText {
		t.Fatalf("after an edit: %+v %+v", st.TTS, st.Audio)
	}
	// A refused key fails at once, with why.
	bad := apptest.NewOn(t, e.DB, fpt, func(c *config.Config) { c.Audio.APIKey = "khoa-sai" })
	bad.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`).Want(202)
	bad.App.Audio.RunDue(ctx)
	if st = audioStateOf(e, l.ed, it.ID); st.TTS.State != scriptaudio.JobFailed || st.TTS.ErrorKind != scriptaudio.FailCredentials ||
		strings.Contains(st.TTS.Error, "khoa-sai") {
		t.Fatalf("with a wrong key: %+v", st.TTS)
	}
	// A person's sound replaces a pending reading.
	bad.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`).Want(202)
	audioUpload(e, l.ed, it.ID, audioTone(t, "wav"), "").Want(201)
	if st = audioStateOf(e, l.ed, it.ID); st.TTS != nil || st.Audio.Source != campaigns.AudioUpload {
		t.Fatalf("after an upload: %+v", st)
	}
}

// TestTTSNotConfigured: no provider, 409 tts_not_configured.
func TestTTSNotConfigured(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, ttsScript, l.a.ID)
	if r := e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{}`); r.StatusCode != 409 || r.ErrorCode() != "tts_not_configured" {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
}

// TestTTSWithVbee: Vbee calls back to LANTOA_BASE_URL: the callback is
// verified by the signature in its URL and by asking Vbee, the sound
// appears on the script, and the same callback again is refused.
func TestTTSWithVbee(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	fake := vbeetest.New(t, "ung-dung-xa", "the-vbee-token")
	e := apptest.New(t, func(c *config.Config) {
		c.Audio.Provider, c.Audio.AppID, c.Audio.APIKey, c.Audio.URL = config.ProviderVbee, "ung-dung-xa", "the-vbee-token", fake.TTSURL()
		c.Audio.CallbackSecret = "mot-bi-mat-du-dai-cho-vbee"
	})
	l := setupLoudspeakers(t, e)
	it := audioDraft(t, l, ttsScript, l.a.ID)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	e.Do("POST", "/api/v1/items/"+it.ID+"/audio/tts", l.ed, `{"speed":0.9}`).Want(202)
	if n, err := e.App.Audio.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("ran %d, %v", n, err)
	}
	if err := fake.WaitCallbacks(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cb := fake.Callbacks()[0]
	if !strings.HasPrefix(cb.URL, e.Server.URL+scriptaudio.CallbackPath+"?"+audio.CallbackParam+"=") || cb.Status != http.StatusNoContent {
		t.Fatalf("callback %s answered %d", cb.URL, cb.Status)
	}
	st := audioStateOf(e, l.ed, it.ID)
	if st.TTS.State == scriptaudio.JobWaiting {
		// The callback came before the submission was recorded: the clock
		// fetches the finished sound a little later instead.
		t.Log("the callback came before the submission was recorded; fetched instead")
		e.Clock.Advance(31 * time.Second)
		e.App.Audio.RunDue(ctx)
		st = audioStateOf(e, l.ed, it.ID)
	}
	if st.Audio == nil || st.Audio.Voice != "vbee/"+audio.DefaultVbeeVoice || st.TTS.State != scriptaudio.JobDone {
		t.Fatalf("after the callback: %+v %+v", st.TTS, st.Audio)
	}
	ids := fake.RequestIDs()
	if len(ids) != 1 || !strings.Contains(fake.Text(ids[0]), "gọi một một một") {
		t.Fatalf("Vbee got %v: %q", ids, fake.Text(ids[0]))
	}
	if status, err := fake.Replay(ctx, ids[0]); err != nil || status != http.StatusConflict {
		t.Fatalf("replayed callback: %d, %v", status, err)
	}
	// A callback without the signature, or with another, is refused.
	forged := []string{e.Server.URL + scriptaudio.CallbackPath, cb.URL[:len(cb.URL)-4] + "AAAA"}
	for _, u := range forged {
		res, err := http.Post(u, "application/json", bytes.NewReader(cb.Body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("forged callback %s: %d", u, res.StatusCode)
		}
	}
	if st2 := audioStateOf(e, l.ed, it.ID); st2.ItemVersion != st.ItemVersion {
		t.Errorf("a refused callback changed the script: v%d → v%d", st.ItemVersion, st2.ItemVersion)
	}
}
