package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
)

// TestReplicaKilledMidSend: three replicas on one `lantoa db` publish N
// posts due at once to a slow fake Page; the first replica to have a post
// in flight — already created on the Page, its answer held back — is
// killed with SIGKILL. After its lease (10 s) the others take its
// deliveries over, find the posts in the Page feed and mark them sent:
// every post is on the Page exactly once, and every delivery ends sent.
func TestReplicaKilledMidSend(t *testing.T) {
	needBinary(t)
	t.Parallel()
	const n = 9
	began := time.Now()
	fake := facebooktest.New(t, pageID, pageToken, facebooktest.WithAppSecret(appSecret))
	dbAddr := freeAddr(t)
	startDB(t, dbAddr, dataDir(t, "db"))
	// One data folder for the three: the outbox's reconcile looks for the
	// file a dead replica may have written, so replicas on one host share it.
	data := dataDir(t, "serve")
	settings := map[string]string{"LANTOA_LEASE": "10s", "LANTOA_PUBLISH_TIMEOUT": "60s"}
	var gates []*gate
	var reps []*replica
	for i := range 3 {
		name := fmt.Sprintf("replica-%d", i+1)
		g := newGate(t, name, fake)
		g.set(func(g *gate) { g.hold = true }) // every post is created, its answer waits
		gates = append(gates, g)
		reps = append(reps, startReplica(t, name, dbAddr, data, facebookEnv(g.URL(fake), settings)))
	}
	t.Logf("three replicas ready after %s", time.Since(began).Round(time.Millisecond))

	who := signIn(t, reps[0].url, true)
	camp := who.campaign()
	due := time.Now().Add(6 * time.Second)
	var titles []string
	for i := range n {
		title := fmt.Sprintf("Bài %02d: không im lặng trước bạo lực", i+1)
		titles = append(titles, title)
		who.post(camp, title, due)
	}

	// The first replica with a post in flight is the victim.
	var victim string
	select {
	case victim = <-firstOf(gates):
	case <-time.After(30 * time.Second):
		t.Fatal("no replica sent anything within 30 s")
	}
	var killed *replica
	for i, g := range gates {
		if g.name == victim {
			killed = reps[i]
		}
	}
	// Let the victim take its share of the batch: every answer is held, and
	// three replicas have 12 send slots for the n posts, so once all n are
	// on the Page every delivery is claimed and each replica holds all it
	// will take.
	eventually(t, 30*time.Second, fmt.Sprintf("all %d posts created with their answers held", n), func() bool {
		return len(fake.Posts()) == n
	})
	killed.kill()
	killedAt := time.Now()
	t.Logf("killed %s with posts in flight, %s after the due time", victim, killedAt.Sub(due).Round(time.Millisecond))
	inflight := 0
	for _, g := range gates {
		if g.name == victim {
			inflight = int(g.posts.Load())
		}
		g.open() // the survivors' answers flow again
	}

	var survivor people
	for _, r := range reps {
		if r != killed {
			survivor = signIn(t, r.url, false)
			break
		}
	}
	list := survivor.allSent(t, n, 60*time.Second)
	t.Logf("all %d sent %s after the kill (lease 10 s); the victim had %d post(s) in flight", n, time.Since(killedAt).Round(time.Millisecond), inflight)

	counts := countPosts(fake, titles)
	for _, title := range titles {
		if counts[title] != 1 {
			t.Errorf("%q is on the Page %d times, want exactly once", title, counts[title])
		}
	}
	if got := len(fake.Posts()); got != n {
		t.Errorf("%d posts on the Page, want %d", got, n)
	}
	reconciled := 0
	for _, d := range list {
		if strings.Contains(d.LastError, "found on the platform") {
			reconciled++
		}
	}
	if reconciled == 0 {
		t.Errorf("no delivery was reconciled: the victim's in-flight sends were not taken over")
	}
	t.Logf("%d deliveries reconciled from the feed instead of resent", reconciled)
	noToken(t, reps[0].proc, reps[1].proc, reps[2].proc)
}

// firstOf returns a channel that gets the first gate name any gate reports.
func firstOf(gates []*gate) <-chan string {
	out := make(chan string, 1)
	for _, g := range gates {
		go func() {
			select {
			case name := <-g.inflight:
				select {
				case out <- name:
				default:
				}
			case <-time.After(time.Minute):
			}
		}()
	}
	return out
}
