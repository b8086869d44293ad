// Package parallel runs the independent steps of one job side by side, as
// many at a time as the process has cores to run them on (GOMAXPROCS):
// decoding each input, building each environment's indexes, comparing
// batches of resources, parsing each built-in rule module. One helper, so
// that every such job bounds its goroutines the same way and a single core
// runs the steps in order, without a goroutine each.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n), at most GOMAXPROCS calls at a
// time, taking the indexes in order, and returns once every call has
// returned. f must be safe to run concurrently with itself.
func Each(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}
