package workdir

import (
	"context"
	"runtime"
	"sync"
)

// ReadAll reads every spec, at most parallelism at a time (runtime.NumCPU()
// when zero or less), and returns the results and errors in the order of
// specs: one failing environment does not stop the others, so the user
// sees every problem in one run. The reads are mostly waiting for
// Terraform and its backend, so running them side by side brings the wall
// time close to the slowest one.
func ReadAll(ctx context.Context, specs []Spec, parallelism int) ([]*Result, []error) {
	if parallelism <= 0 {
		parallelism = runtime.NumCPU()
	}
	results := make([]*Result, len(specs))
	errs := make([]error, len(specs))
	sem := make(chan struct{}, parallelism)
	var wg sync.WaitGroup
	for i := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = Read(ctx, specs[i])
		}()
	}
	wg.Wait()
	return results, errs
}
