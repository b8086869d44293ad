package policy

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// DefaultMaxMemory is --policy-max-memory's default: how much a user rule's
// evaluation may grow the heap. OPA has no memory bound of its own, and a
// rule can build a value of any size (numbers.range(1, 1e10), a
// comprehension over every pair of resources); real rules over 10,000
// resources stay far below this.
const DefaultMaxMemory int64 = 2 << 30

// memorySample is how often the watchdog reads the heap size: a tight
// allocation loop grows the heap by tens of MB in that time, little against
// the bound.
const memorySample = 10 * time.Millisecond

const (
	heapMetric = "/memory/classes/heap/objects:bytes"
	liveMetric = "/gc/heap/live:bytes"
)

// errMemory is the cause of a context the watchdog cancelled.
var errMemory = errors.New("policy evaluation over its memory bound")

// watchMemory returns a context that is cancelled, with cause errMemory,
// when the heap grows by more than limit bytes over its size now. OPA
// checks for cancellation between evaluation steps, and inside the
// built-ins that loop (numbers.range, net.cidr_expand), so cancelling stops
// a runaway rule before the process runs out of memory. stop ends the
// watch; call it when the evaluation returns.
func watchMemory(ctx context.Context, limit int64) (context.Context, func()) {
	if limit < 0 {
		return ctx, func() {}
	}
	if limit == 0 {
		limit = DefaultMaxMemory
	}
	ctx, cancel := context.WithCancelCause(ctx)
	sample := []metrics.Sample{{Name: heapMetric}}
	live := []metrics.Sample{{Name: liveMetric}}
	heap := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	bound := heap() + limit
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(memorySample)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if heap() <= bound {
				continue
			}
			// The heap holds garbage too (up to its live size before the
			// next collection); only live data over the bound counts: what
			// a collection marks, not what was allocated while it ran.
			runtime.GC()
			metrics.Read(live)
			if int64(live[0].Value.Uint64()) > bound {
				cancel(errMemory)
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		wg.Wait()
		cancel(nil)
	}
}

// WatchMemory is the watchdog for callers outside this package (`lockstep
// test` runs OPA's test runner itself): the returned context is cancelled
// when the heap grows by more than limit bytes (zero: DefaultMaxMemory,
// negative: no bound), and OverMemory then reports true for it.
func WatchMemory(ctx context.Context, limit int64) (context.Context, func()) {
	return watchMemory(ctx, limit)
}

// OverMemory reports whether ctx was cancelled by the memory watchdog.
func OverMemory(ctx context.Context) bool { return errors.Is(context.Cause(ctx), errMemory) }

// MemoryError is a user rule stopped by --policy-max-memory.
type MemoryError struct {
	Rule  Rule
	Limit int64
}

func (m *MemoryError) Error() string {
	return fmt.Sprintf("evaluation of %s at %s:%d:%d used more than %s of memory (--policy-max-memory) and was stopped; the rule builds a value too large to judge (numbers.range or a comprehension over every pair of resources is the usual cause): fix the rule, or raise --policy-max-memory",
		m.Rule.ID, m.Rule.File, m.Rule.Line, m.Rule.Column, readfile.Size(m.Limit))
}

// ParseMaxMemory parses a --policy-max-memory value: a size as
// readfile.ParseSize reads it (512MiB, 4GiB), or -1 for no bound.
func ParseMaxMemory(s string) (int64, error) {
	if strings.TrimSpace(s) == "-1" {
		return -1, nil
	}
	n, err := readfile.ParseSize(s)
	if err != nil {
		return 0, fmt.Errorf("%w (or -1 for no bound)", err)
	}
	return n, nil
}
