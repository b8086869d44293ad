package runtask

import (
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

// TestLoad: 200 signed requests at a concurrency of 20, over loopback. A
// 503 (queue full) is sent again, as HCP Terraform does; no request is
// lost, every run gets exactly one final callback, and the heap after the
// runs is not far above the heap before them.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const requests, concurrency = 200, 20
	h := newHarness(t, nil)
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-before/staging.state.json")})
	plan := fixture(t, "c-promotion-before/production.plan.json")
	bodies := make([][]byte, requests)
	for i := range bodies {
		bodies[i] = h.request(fmt.Sprintf("tr-%03d", i), "acme/app-production", plan)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	busy := 0
	next := make(chan int)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				for {
					resp := h.post(t, bodies[i], testKey)
					if resp.StatusCode == http.StatusOK {
						break
					}
					if resp.StatusCode != http.StatusServiceUnavailable {
						t.Errorf("request %d: %d", i, resp.StatusCode)
						break
					}
					mu.Lock()
					busy++
					mu.Unlock()
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	for i := range requests {
		next <- i
	}
	close(next)
	wg.Wait()
	accepted := time.Since(start)
	for i := range requests {
		if got := h.final(t, fmt.Sprintf("tr-%03d", i)); got.Status != StatusFailed {
			t.Fatalf("run %d: %s %q", i, got.Status, got.Message)
		}
	}
	total := time.Since(start)
	if n := len(h.fake.Callbacks("")); n != 2*requests {
		t.Errorf("%d callbacks, want %d (running and final per run)", n, 2*requests)
	}
	after := heap()
	t.Logf("%d requests at concurrency %d: all accepted in %s (%d answers 503, sent again), all called back in %s; heap %d KiB before, %d KiB after",
		requests, concurrency, accepted.Round(time.Millisecond), busy, total.Round(time.Millisecond), before>>10, after>>10)
	if total > 2*time.Minute {
		t.Errorf("took %s", total)
	}
	if after > before+64<<20 {
		t.Errorf("heap grew from %d to %d bytes", before, after)
	}
}
