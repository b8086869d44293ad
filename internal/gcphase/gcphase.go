// Package gcphase collects the garbage of a phase of a one-shot run at the
// moment it ends. lockstep's commands run once and exit, with the collector
// set to wait for four times the live heap's growth (cmd/lockstep): cheap
// while most of what a run allocates stays live, but the transient memory
// of a phase (the reading's decoder buffers and raw sections, then the
// readers themselves once the snapshots are built) then stays mapped until
// the process exits, and the next phase allocates on top of it. A
// collection where a phase ends lets the rest of the run reuse that
// memory. A long-running server leaves it off: it runs checks side by
// side, and a collection per check would cost each of them the others'
// heaps. A small run is left alone: its collection would mostly mark the
// rule compiler's memory, for nothing.
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

// MinHeap is the least heap (objects live or not yet collected) for End
// to collect. Below it a collection costs a small run more than it
// returns: 2–3 ms of an 80 ms check of the scenario fixtures, measured
// side by side, for no memory.
const MinHeap = 32 << 20

// End marks the end of a phase whose transient memory is garbage now and
// is followed by one that allocates: when enabled, and the heap holds
// MinHeap or more, it collects and returns true.
func End() bool {
	if !enabled.Load() || heap() < MinHeap {
		return false
	}
	runtime.GC()
	return true
}

// heap is what the heap's objects take: live ones and those not yet
// collected.
func heap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
