package web_test

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/audio/audiotest"
	"github.com/lantoa/lantoa/campaigns"
)

// TestBrowserRecording: an editor on a 390×844 phone records a script from
// the microphone (chromium's fake one, which beeps), hears it back and sees
// its length beside the reading time, with the warning that they differ;
// once approved, the operator's rundown shows a player that fetches nothing
// until it is pressed, and then plays exactly the sound the script carries.
func TestBrowserRecording(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	began := time.Now()
	ctx := chromeWith(t, 150*time.Second, chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("autoplay-policy", "no-user-gesture-required"))
	e := apptest.New(t)
	adm, ed, mgr := e.Admin(), e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var st struct{ ID string }
	e.Do("POST", "/api/v1/stations", adm, map[string]any{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông", "households": 240}).Want(201).JSON(&st)
	e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st.ID)
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Chung tay chấm dứt bạo lực gia đình",
		"body": rundownBody, "audiences": []string{"residents"}, "channels": []string{"loudspeaker"}, "station_ids": []string{st.ID},
		"schedule": map[string]any{"times": []string{"17:30"}, "from": "2026-11-20", "to": "2026-11-20"}}).Want(201).JSON(&it)
	base := e.Server.URL

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "editor-lien-minh")
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/items/"+it.ID), chromedp.WaitVisible(chromedp.CSS(`[data-au=record]`)))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "script audio, none yet")
	recStart := time.Now()
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-au=record]`)), chromedp.WaitVisible(chromedp.CSS(`[data-au=stop]`)),
		chromedp.Sleep(4*time.Second), chromedp.Click(chromedp.CSS(`[data-au=stop]`)),
		chromedp.WaitVisible(chromedp.CSS(`audio[data-au=player][src*="/media/audio/"]`)))
	if err != nil {
		t.Fatalf("recording: %v; status %q", err, eval[string](t, ctx, `document.querySelector("[data-au=status]").textContent`))
	}
	t.Logf("record 4 s, upload, normalise and show: %v", time.Since(recStart).Round(10*time.Millisecond))
	checkLayout(t, ctx, "script audio, recorded")
	shoot(t, ctx, "script-recorded-390")
	panel := eval[string](t, ctx, `document.querySelector("#audio").innerText`)
	for _, want := range []string{"Đã lưu âm thanh", "Thời lượng đọc ước tính: 1 phút 20 giây", "chênh hơn một nửa"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the audio panel lacks %q; it shows:\n%s", want, panel)
		}
	}
	// About 4 seconds: the microphone takes a moment to start.
	if !regexp.MustCompile(`Độ dài bản ghi: [345] giây`).MatchString(panel) || strings.Contains(panel, "Dừng") {
		t.Errorf("the audio panel shows:\n%s", panel)
	}
	// Played back on the page: what the loudspeakers will play.
	played := eval[float64](t, ctx, `(async () => { const a = document.querySelector("audio[data-au=player]"); await a.play();
	  await new Promise(r => setTimeout(r, 1200)); a.pause(); return a.currentTime; })()`, chromedp.EvalAwaitPromise)
	if played <= 0 {
		t.Errorf("the recording did not play back (at %.2f s)", played)
	}
	var state struct {
		Audio struct {
			ID       string  `json:"id"`
			SHA256   string  `json:"sha256"`
			Duration float64 `json:"duration_seconds"`
			Source   string  `json:"source"`
		} `json:"audio"`
		ItemVersion int `json:"item_version"`
	}
	e.Do("GET", "/api/v1/items/"+it.ID+"/audio", ed, nil).Want(200).JSON(&state)
	if state.Audio.Source != campaigns.AudioRecording || math.Abs(state.Audio.Duration-4) > 1.5 || state.ItemVersion != 2 {
		t.Fatalf("the script's audio: %+v", state)
	}
	// The form took up the new version: saving the text is no stale edit.
	if v := eval[string](t, ctx, `document.querySelector("form[data-kind] input[name=version]").value`); v != "2" {
		t.Errorf("the form's version is %s after recording", v)
	}

	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.who form button`)), chromedp.WaitVisible(chromedp.ID("password")))
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, base, "op-dong")
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/stations/"+st.ID+"/rundown?date=2026-11-20"), chromedp.WaitVisible(chromedp.CSS(`.rd-sound audio`)))
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, ctx, "rundown with audio")
	shoot(t, ctx, "rundown-audio-390")
	fetched := `performance.getEntriesByType("resource").filter(r => r.name.includes("/media/audio/")).length`
	if n := eval[int](t, ctx, fetched); n != 0 || eval[string](t, ctx, `document.querySelector(".rd-sound audio").preload`) != "none" {
		t.Errorf("the rundown fetched the sound %d times before it was pressed", n)
	}
	played = eval[float64](t, ctx, `(async () => { const a = document.querySelector(".rd-sound audio"); await a.play();
	  await new Promise(r => setTimeout(r, 1200)); a.pause(); return a.currentTime; })()`, chromedp.EvalAwaitPromise)
	if played <= 0 {
		t.Errorf("the rundown's player did not play (at %.2f s)", played)
	}
	// The bytes the page plays are the script's sound, whose SHA-256 the
	// push carries.
	sum := eval[string](t, ctx, `(async () => { const b = await (await fetch(document.querySelector(".rd-sound audio").src)).arrayBuffer();
	  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b))).map(x => x.toString(16).padStart(2, "0")).join(""); })()`,
		chromedp.EvalAwaitPromise)
	if sum != state.Audio.SHA256 {
		t.Errorf("the rundown plays %s, the script's sound is %s", sum, state.Audio.SHA256)
	}
	t.Logf("browser recording test: %v", time.Since(began).Round(100*time.Millisecond))
}
