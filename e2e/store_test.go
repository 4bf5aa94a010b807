package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
)

// TestStoreStoppedAndRestarted: `lantoa db` is stopped under a serving
// replica. Requests then fail clearly (5xx in the error shape, within the
// driver's server-selection timeout), /readyz says 503, and a post that
// falls due during the outage waits. `lantoa db` restarts on the same data
// and port: the replica reconnects by itself, the post goes out once, and
// new work is accepted, with no restart of the service.
func TestStoreStoppedAndRestarted(t *testing.T) {
	needBinary(t)
	t.Parallel()
	fake := facebooktest.New(t, pageID, pageToken, facebooktest.WithAppSecret(appSecret))
	dbAddr, dbData := freeAddr(t), dataDir(t, "db")
	db := startDB(t, dbAddr, dbData)
	rep := startReplica(t, "replica", dbAddr, dataDir(t, "serve"), facebookEnv(fake.URL, map[string]string{"LANTOA_LEASE": "10s"}))
	who := signIn(t, rep.url, true)
	camp := who.campaign()
	during := "Bài đến hạn lúc kho dữ liệu ngừng"
	dueDuring := time.Now().Add(4 * time.Second)
	who.post(camp, during, dueDuring)

	stopped := time.Now()
	db.stop()
	t.Logf("lantoa db stopped (SIGTERM) in %s", time.Since(stopped).Round(time.Millisecond))

	// /readyz says so quickly.
	start := time.Now()
	res, err := httpc.Get(rep.url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || body.Error.Code == "" {
		t.Fatalf("/readyz with the store down: %d %+v", res.StatusCode, body)
	}
	t.Logf("/readyz answered %d %q in %s", res.StatusCode, body.Error.Code, time.Since(start).Round(time.Millisecond))

	// An API call fails with the error shape, not a hang or a bare 500.
	start = time.Now()
	status, raw := who.manager.call("GET", "/api/v1/deliveries", nil, nil)
	var shape struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(raw, &shape); status != 503 || err != nil || shape.Error.Code != "store_unavailable" || shape.Error.Message == "" {
		t.Fatalf("API call with the store down: %d %s", status, raw)
	}
	t.Logf("an API call failed with %d %q after %s", status, shape.Error.Code, time.Since(start).Round(time.Millisecond))
	if len(fake.Posts()) != 0 {
		t.Fatal("posted while the store was down")
	}

	// The post falls due during the outage, and the replica's dispatcher
	// meets the outage (its clock job logs the failed scan).
	eventually(t, 30*time.Second, "the post to fall due while a dispatch fails", func() bool {
		return time.Now().After(dueDuring) && logged(rep.proc, "clock job failed", `"job":"dispatch"`)
	})

	// Restart on the same data and port; the replica is not restarted.
	restarted := time.Now()
	startDB(t, dbAddr, dbData)
	eventually(t, 30*time.Second, "/readyz to be 200 again", func() bool {
		res, err := httpc.Get(rep.url + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	t.Logf("ready again %s after the store restarted (down %s in all)", time.Since(restarted).Round(time.Millisecond), time.Since(stopped).Round(time.Millisecond))

	// The post due during the outage goes out once; new work goes through.
	after := "Bài tạo sau khi kho dữ liệu chạy lại"
	who.post(camp, after, time.Now().Add(3*time.Second))
	who.allSent(t, 2, 45*time.Second)
	counts := countPosts(fake, []string{during, after})
	if counts[during] != 1 || counts[after] != 1 {
		t.Fatalf("posts on the Page: %v, want each once", counts)
	}
	t.Logf("both posts out %s after the restart", time.Since(restarted).Round(time.Millisecond))
	noToken(t, rep.proc)
}
