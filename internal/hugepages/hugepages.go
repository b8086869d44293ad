// Package hugepages asks the kernel to back the heap a large one-shot run
// is about to grow into with transparent huge pages. Reading a large plan
// grows the heap by hundreds of megabytes, and each 4 KiB page of it costs
// a page fault when first touched: on a virtual machine whose faults are
// dear (the one this project is measured on, 6–16 µs each), a tenth of a
// 10k x 2 check's CPU. Go does not advise its heap for huge pages (it
// stopped in Go 1.21.1: a fault in advised memory can stall while the
// kernel compacts memory, golang/go#61718), and Linux's common
// setting, "madvise", gives them only to memory advised so. A check runs
// once and holds most of what it reads to the end, the case huge pages
// suit: one fault per 2 MiB, and fewer TLB misses while the comparison
// walks the decoded values. Measured side by side in docs/performance.md
// (round 10). A long-running server, a small run, a run under a memory
// limit, a kernel short of free huge pages (where a fault in advised memory
// would wait for the kernel to compact memory) and a user who set
// GODEBUG=disablethp=1 (Go's own switch for huge pages) are left alone.
package hugepages

import (
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
)

var enabled, prepared atomic.Bool

// Enable turns Prepare on or off for the process; it is off until
// enabled.
func Enable(on bool) { enabled.Store(on) }

// MinInput is the least input, in bytes, for Prepare to act on. Below it
// the heap a run grows is a few megabytes, and a huge page's first touch
// (zeroing 2 MiB) can cost more than the faults it saves; at 1k x 2
// synthetic plans (23 MB) huge pages already take a fifth off the check
// (docs/performance.md, round 10).
const MinInput = 16 << 20

// Prepare readies the heap for reading input bytes: when enabled and input
// is MinInput or more, it makes the runtime map address space for as much
// heap more (an allocation of that size, dropped at once and collected in
// the background, which the runtime does not touch: fresh memory from the
// kernel is already zero) and advises the heap's range, the part in use
// included, for huge pages. Decoding keeps about half a plan's size and
// two and a half times a raw state's (docs/performance.md); memory beyond
// the range is left to the runtime, in ordinary pages. It reports whether it
// advised. It acts once per process. Errors are ignored: the advice is an
// optimisation, and a kernel without huge pages, or with them off,
// refuses it harmlessly.
func Prepare(input int64) bool {
	if !enabled.Load() || input < MinInput || disabledByGODEBUG(os.Getenv("GODEBUG")) || limited() {
		return false
	}
	// Once per process: a second reservation could be given memory the
	// heap has used since, which the runtime would zero, making it
	// resident.
	if !prepared.CompareAndSwap(false, true) {
		return false
	}
	return advise(min(input, maxReserve))
}

// maxReserve bounds the address space Prepare has mapped for the heap.
const maxReserve = 4 << 30

// limited reports whether a soft memory limit is in force (GOMEMLIMIT):
// the runtime counts the reservation against it, and would return the
// reserved pages to the kernel before the reading uses them.
func limited() bool { return debug.SetMemoryLimit(-1) != math.MaxInt64 }

// disabledByGODEBUG reports whether godebug, a GODEBUG setting, turns the
// heap's huge pages off: disablethp=1, which Go's runtime honours too.
func disabledByGODEBUG(godebug string) bool {
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return true
		}
	}
	return false
}
