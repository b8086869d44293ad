//go:build linux && (amd64 || arm64)

package hugepages

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// arenaSize is the span of address space Go's heap maps at once on 64-bit
// Linux (runtime.heapArenaBytes): the heap's first arena starts at a
// multiple of it.
const arenaSize = 64 << 20

// hugePage is the size of a transparent huge page on x86-64 and arm64 with
// 4 KiB pages.
const hugePage = 2 << 20

// unlimited is RLIM_INFINITY as the kernel reports it.
const unlimited = ^uint64(0)

// marker is a small object made on the heap (not the stack) to find where
// the heap lies.
var marker *[64]byte

// advise maps address space for heap bytes more of heap and advises the
// heap's range for huge pages.
func advise(heap int64) bool {
	// The runtime cannot fail to map memory without crashing. Under a
	// limit on the address space, the part of the reservation the heap
	// does not fill could be what a run later needs: leave the heap
	// alone. Otherwise ask the kernel first whether it would grant this
	// much (it may not, under strict overcommit), and leave it alone if
	// not.
	var as syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &as) != nil || as.Cur != unlimited {
		return false
	}
	// A fault in advised memory with no free huge page at hand makes the
	// kernel compact memory there and then (transparent_hugepage/defrag's
	// "madvise", the common setting), stalling the run: why Go gave up
	// advising its heap (golang/go#61718). Advise only while the kernel
	// has free blocks enough for the whole reservation.
	if info, err := readBuddyinfo(); err != nil || freeHugePages(info) < heap/hugePage {
		return false
	}
	probe, err := syscall.Mmap(-1, 0, int(heap), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return false
	}
	if syscall.Munmap(probe) != nil {
		return false
	}
	// Where the heap is now: a small object of it, its arena's start.
	marker = new([64]byte)
	first := uintptr(unsafe.Pointer(marker)) &^ (arenaSize - 1)
	marker = nil
	beg, end := reserve(int(heap))
	// The allocation is garbage now. Collecting it frees its span for the
	// reading to allocate from, and keeps the collector's next goal set by
	// the live heap rather than by it; the reading need not wait for that
	// (the memory is advised already, and it allocates in the first
	// arena meanwhile): waiting was 13 ms of a 10k x 2 check, the
	// collector's workers given a quarter of the cores.
	defer func() { go runtime.GC() }()
	if beg < first || beg-first > maxReserve {
		first = beg // the heap did not grow upwards from its first arena
	}
	start := (first + hugePage - 1) &^ (hugePage - 1)
	stop := end &^ (hugePage - 1)
	if stop <= start {
		return false
	}
	// Holes in the range (address space between arenas that is not the
	// heap's) make madvise answer ENOMEM after advising every mapping in
	// it; only a refusal of the whole range matters, and none does harm.
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, stop-start, syscall.MADV_HUGEPAGE)
	return errno == 0 || errno == syscall.ENOMEM
}

// reserve allocates n bytes and drops them, returning their address range.
//
//go:noinline
func reserve(n int) (uintptr, uintptr) {
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p, p + uintptr(n)
}

// readBuddyinfo reads /proc/buddyinfo, the kernel's count of free blocks
// of each size, bounded: it is a line per memory zone.
func readBuddyinfo() (string, error) {
	f, err := os.Open("/proc/buddyinfo")
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	return string(b), err
}
