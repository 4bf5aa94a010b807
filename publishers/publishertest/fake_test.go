package publishertest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/lantoa/lantoa/publishers/publishertest"
)

type call struct {
	Path   string
	Status int
}

// fake is the smallest fake platform: it records each call, answers a
// queued failure with its status, and hangs on /create when told to.
type fake struct {
	publishertest.Fake[call, int]
	URL      string
	received chan string // the path of each call, once recorded
}

func newFake(t *testing.T) *fake {
	f := &fake{received: make(chan string, 10)}
	f.URL = f.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := f.Record(call{Path: r.URL.Path})
		status := http.StatusOK
		if k, ok := f.NextFailure(); ok {
			status = k
		}
		f.Amend(i, func(c *call) { c.Status = status })
		f.received <- r.URL.Path
		if r.URL.Path == "/create" && f.Hung(r) {
			return
		}
		w.WriteHeader(status)
	}))
	return f
}

func get(ctx context.Context, url string) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestFakeRecordsAndFailsInOrder(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.FailNext(503, 429)
	var got []int
	for _, p := range []string{"/a", "/b", "/c"} {
		status, err := get(t.Context(), f.URL+p)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	if got[0] != 503 || got[1] != 429 || got[2] != 200 {
		t.Errorf("statuses %v, want the queued failures in order, then success", got)
	}
	calls := f.MustCalls(t, 3, "3")
	if calls[0].Path != "/a" || calls[2].Status != 200 {
		t.Errorf("calls %+v", calls)
	}
	calls[0].Path = "changed"
	if f.Calls()[0].Path != "/a" {
		t.Error("Calls returned the fake's own slice, not a copy")
	}
}

func TestFakeHangsOnceUntilTheClientGivesUp(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.Hang()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := get(ctx, f.URL+"/create"); done <- err }()
	// The call is received, then left without an answer until its client
	// gives up.
	<-f.received
	select {
	case err := <-done:
		t.Fatalf("the hung call ended before its client gave up: %v", err)
	default:
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("hung call ended with %v, want the client's cancellation", err)
	}
	if status, err := get(t.Context(), f.URL+"/create"); err != nil || status != 200 {
		t.Errorf("after the hang: %d %v, want an answer (a hang is armed once)", status, err)
	}
}
