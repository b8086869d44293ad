package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestEach: every index is run once, no more calls run at a time than
// GOMAXPROCS allows, and Each returns only when all have returned; with
// one core the calls run in order.
func TestEach(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		var running, most atomic.Int64
		counts := make([]atomic.Int64, 50)
		var order []int
		Each(len(counts), func(i int) {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			counts[i].Add(1)
			if procs == 1 {
				order = append(order, i)
			}
			running.Add(-1)
		})
		runtime.GOMAXPROCS(prev)
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Errorf("GOMAXPROCS %d: index %d ran %d times", procs, i, c)
			}
		}
		if m := most.Load(); m > int64(procs) {
			t.Errorf("GOMAXPROCS %d: %d calls ran at once", procs, m)
		}
		if procs > 1 && most.Load() < 2 {
			t.Errorf("GOMAXPROCS %d: the calls never ran side by side", procs)
		}
		for i, v := range order {
			if v != i {
				t.Fatalf("one core: call %d was index %d", i, v)
			}
		}
	}
	Each(0, func(int) { t.Error("called with n = 0") })
}
