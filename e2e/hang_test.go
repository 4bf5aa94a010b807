package e2e_test

import (
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
)

// TestPublisherThatHangs: the Page never answers two publish calls — one
// it carried out (the fake's Hang: created, then silent), one it never
// received (the gate swallows it). Each call times out after
// LANTOA_PUBLISH_TIMEOUT (4 s); its delivery leaves "sending" at once
// (failed, outcome unknown, lease released: nothing stuck), and on its
// retry the dispatcher reconciles: the first is found in the Page feed and
// marked sent, the second is not found and is sent again. Each post is on
// the Page exactly once.
func TestPublisherThatHangs(t *testing.T) {
	needBinary(t)
	t.Parallel()
	fake := facebooktest.New(t, pageID, pageToken, facebooktest.WithAppSecret(appSecret))
	g := newGate(t, "replica", fake)
	dbAddr := freeAddr(t)
	startDB(t, dbAddr, dataDir(t, "db"))
	rep := startReplica(t, "replica", dbAddr, dataDir(t, "serve"),
		facebookEnv(g.URL(fake), map[string]string{"LANTOA_LEASE": "10s", "LANTOA_PUBLISH_TIMEOUT": "4s"}))
	who := signIn(t, rep.url, true)
	camp := who.campaign()

	created := "Bài được tạo nhưng không có trả lời" // reaches the Page, which never answers
	lost := "Bài không bao giờ tới được Facebook"    // swallowed on the way
	fake.Hang()
	g.set(func(g *gate) { g.swallow = lost })
	due := time.Now().Add(3 * time.Second)
	who.post(camp, created, due)
	who.post(camp, lost, due)

	var failed []delivery
	eventually(t, 20*time.Second, "both sends to time out", func() bool {
		failed = failed[:0]
		for _, d := range who.deliveries() {
			if d.State == "sending" || d.State == "queued" {
				return false
			}
			failed = append(failed, d)
		}
		return len(failed) == 2
	})
	for _, d := range failed {
		t.Logf("%q: %s (%s) %s after the due time, attempt %d: %s", d.Title, d.State, d.ErrorClass,
			time.Since(due).Round(100*time.Millisecond), d.Attempts, d.LastError)
		if d.State != "failed" || d.ErrorClass != "unknown" {
			t.Errorf("%q after a timeout: %s/%s, want failed with an unknown outcome", d.Title, d.State, d.ErrorClass)
		}
	}
	g.open()
	list := who.allSent(t, 2, 60*time.Second)
	t.Logf("both sent %s after the due time", time.Since(due).Round(100*time.Millisecond))
	for _, d := range list {
		t.Logf("%q: attempts %d, %q", d.Title, d.Attempts, d.LastError)
	}
	counts := countPosts(fake, []string{created, lost})
	if counts[created] != 1 || counts[lost] != 1 {
		t.Fatalf("posts on the Page %v, want each exactly once", counts)
	}
	noToken(t, rep.proc)
}
