package stamps

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemo(t *testing.T) {
	var m Memo[int]
	var loads atomic.Int32
	load := func(v int) func() (int, error) {
		return func() (int, error) {
			loads.Add(1)
			time.Sleep(10 * time.Millisecond)
			return v, nil
		}
	}
	// Thirty callers at once share one load.
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			if v, err := m.Get("k", 1, load(10)); v != 10 || err != nil {
				t.Errorf("got %d, %v", v, err)
			}
		})
	}
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Fatalf("%d loads for 30 callers, want 1", n)
	}
	// An older version is served the newer value; a newer one reloads.
	if v, _ := m.Get("k", 0, load(0)); v != 10 || loads.Load() != 1 {
		t.Fatalf("older version: %d after %d loads", v, loads.Load())
	}
	if v, _ := m.Get("k", 2, load(20)); v != 20 || loads.Load() != 2 {
		t.Fatalf("newer version: %d after %d loads", v, loads.Load())
	}
	// A failed load is not kept: the next caller loads again.
	boom := errors.New("store down")
	if _, err := m.Get("k", 3, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("failed load: %v", err)
	}
	if v, err := m.Get("k", 3, load(30)); v != 30 || err != nil {
		t.Fatalf("after a failure: %d, %v", v, err)
	}
	// A full memo starts over.
	small := Memo[int]{Max: 2}
	for i, k := range []string{"a", "b", "c"} {
		small.Get(k, 1, func() (int, error) { return i, nil })
	}
	if n := len(small.loads); n != 1 {
		t.Fatalf("%d keys kept with Max 2 after a third", n)
	}
}
