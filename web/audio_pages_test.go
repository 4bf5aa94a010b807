package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/audio/audiotest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/config"
)

// uploadSound sets data as the sound of script itemID through the API, as
// the page's audio.js does, and returns the sound's id.
func uploadSound(t *testing.T, e *apptest.Env, token, itemID string, data []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "ban-tin.wav")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.Server.URL+"/api/v1/items/"+itemID+"/audio", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	var got struct{ ID string }
	e.Send(req).Want(201).JSON(&got)
	return got.ID
}

// TestAudioOnPages: a script's sound on the item page (with the recorder
// and, a provider being configured, "read aloud"), on the approval view
// for the manager to hear, and on the operator's rundown as a player that
// loads nothing until pressed; setting it took the approved script back to
// draft, and the history says so in words.
func TestAudioOnPages(t *testing.T) {
	t.Parallel()
	audiotest.NeedFFmpeg(t)
	e := apptest.New(t, func(c *config.Config) { c.Audio.Provider = config.ProviderEspeak })
	st, _ := approvedScripts(t, e, "2026-11-21")
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var list []campaigns.Item
	e.Do("GET", "/api/v1/items?kind=script", ed, nil).Want(200).JSON(&list)
	if len(list) != 1 {
		t.Fatalf("%d scripts", len(list))
	}
	it := list[0]
	id := uploadSound(t, e, ed, it.ID, audiotest.Make(t, audiotest.Sound{Seconds: 5, Hz: 440, PeakDBFS: -20, Format: "wav"}))
	src := `src="/media/audio/` + id + `.mp3"`

	editor := as(t, e, accounts.RoleEditor, "lien-minh")
	editor.get("/items/"+it.ID).want(200).sound().has(`id="audio"`, "Âm thanh phát loa", `preload="none"`, src,
		`data-au="record"`, `data-au="synth"`, "Đọc tự động", "Độ dài bản ghi:", "5 giây", "Tệp tải lên",
		"/static/audio.", "đặt âm thanh", "đã trở về bản nháp")
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	manager := as(t, e, accounts.RoleManager, "lien-minh")
	manager.get("/approvals").want(200).sound().has("Nghe âm thanh sẽ phát", `preload="none"`, src)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)

	op := newBrowser(t, e)
	op.setSession(e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st))
	op.get("/stations/"+st+"/rundown?date=2026-11-21").want(200).sound().has(`class="rd-sound"`, `preload="none"`, src, "Âm thanh 5 giây")
	op.get("/media/audio/" + id + ".mp3").want(200)
	// An operator reads the script; they record nothing.
	op.get("/items/" + it.ID).want(200).lacks(`data-au="record"`)
}
