// Package gcphase collects the garbage of a phase of a one-shot run at the
// moment it ends. lockstep's commands run once and exit, with the collector
// set to wait for four times the live heap's growth (cmd/lockstep): cheap
// while most of what a run allocates stays live, but the transient memory
// of reading the inputs (decoder buffers, raw sections, what the reader
// learns and drops) then stays mapped until the process exits, and the
// comparison's allocations come on top of it. One collection between the
// phases lets the rest of the run reuse that memory. A long-running server
// leaves it off: it runs checks side by side, and a collection per check
// would cost each of them the others' heaps. A small run is left alone: its
// collection would mostly mark the rule compiler's memory, for nothing.
package gcphase

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
)

var enabled atomic.Bool

// Enable turns the collection at the end of a phase on or off for the
// process; it is off until enabled.
func Enable(on bool) { enabled.Store(on) }

// MinGrowth is the least the heap must have grown since the last
// collection for End to collect. Below it a collection costs a small run
// more than it returns: 2–3 ms of an 80 ms check of the scenario fixtures,
// measured side by side, for no memory.
const MinGrowth = 32 << 20

// End marks the end of a phase whose transient memory is garbage now and
// is followed by one that allocates: when enabled, and the heap grew by
// MinGrowth or more since the last collection, it collects and returns
// true.
func End() bool {
	if !enabled.Load() || grown() < MinGrowth {
		return false
	}
	runtime.GC()
	return true
}

// grown is the heap's growth since the last collection: what it holds now,
// live or not yet swept, beyond what that collection found live.
func grown() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	live, now := s[0].Value.Uint64(), s[1].Value.Uint64()
	if now < live {
		return 0
	}
	return now - live
}
