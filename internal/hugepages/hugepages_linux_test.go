//go:build linux && (amd64 || arm64)

package hugepages

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestPrepare: on a kernel that gives huge pages to advised memory,
// Prepare advises the heap the reading will allocate from, without
// touching the address space it had the runtime map: the process's
// resident memory does not grow by the reservation, and a large object
// allocated afterwards lies in memory the kernel may back with huge
// pages.
func TestPrepare(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%q, %v)", mode, err)
	}
	if prepared.Load() {
		t.Skip("Prepare acts once per process, and has (go test -count)")
	}
	const input = 512 << 20
	if info, err := readBuddyinfo(); err != nil || freeHugePages(info) < input/hugePage {
		t.Skipf("the kernel has too few free huge pages to advise for %d MiB (%v)", input>>20, err)
	}
	Enable(true)
	defer Enable(false)
	before := residentKiB(t)
	if !Prepare(input) {
		t.Fatal("Prepare refused on a kernel with huge pages")
	}
	runtime.GC() // Prepare's own collection of the reservation runs in the background
	if grown := residentKiB(t) - before; grown > 32<<10 && !raceEnabled {
		t.Errorf("resident memory grew by %d KiB preparing for %d MiB: the reservation was touched", grown, input>>20)
	}
	b := make([]byte, 16<<20)
	b[0] = 1
	if !eligible(t, uintptr(unsafe.Pointer(&b[0]))) {
		t.Errorf("a 16 MiB object allocated after Prepare is not in memory advised for huge pages (/proc/self/smaps)")
	}
	if Prepare(input) {
		t.Error("Prepare acted twice in one process")
	}
}

// TestPrepareLeavesAlone: Prepare does nothing unless enabled, for an
// input below MinInput, when the user turned huge pages off, under a soft
// memory limit, or under a limit on the address space (one far above what
// the test uses, the soft limit only, restored after).
func TestPrepareLeavesAlone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		on      bool
		input   int64
		godebug string
		limit   int64 // a soft memory limit in force, if not 0
		as      bool  // a limit on the address space in force
	}{
		{"not enabled", false, 64 << 20, "", 0, false},
		{"small input", true, MinInput - 1, "", 0, false},
		{"GODEBUG=disablethp=1", true, 64 << 20, "madvdontneed=1,disablethp=1", 0, false},
		{"a memory limit", true, 64 << 20, "", 1 << 30, false},
		{"an address-space limit", true, 64 << 20, "", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Enable(tc.on)
			defer Enable(false)
			t.Setenv("GODEBUG", tc.godebug)
			if tc.limit > 0 {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(tc.limit))
			}
			if tc.as {
				var was syscall.Rlimit
				if err := syscall.Getrlimit(syscall.RLIMIT_AS, &was); err != nil {
					t.Fatal(err)
				}
				lower := was
				lower.Cur = 1 << 46
				if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lower); err != nil {
					t.Skip(err)
				}
				defer syscall.Setrlimit(syscall.RLIMIT_AS, &was)
			}
			defer prepared.Store(prepared.Swap(false)) // as if not yet prepared
			if Prepare(tc.input) {
				t.Error("Prepare advised the heap")
			}
		})
	}
}

func TestDisabledByGODEBUG(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                             false,
		"disablethp=1":                 true,
		"gctrace=1, disablethp=1":      true,
		"disablethp=0":                 false,
		"madvdontneed=1,disablethp=10": false,
	} {
		if got := disabledByGODEBUG(godebug); got != want {
			t.Errorf("disabledByGODEBUG(%q) = %v, want %v", godebug, got, want)
		}
	}
}

// residentKiB is the process's resident memory (VmRSS).
func residentKiB(t *testing.T) int64 {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no VmRSS in /proc/self/status")
	return 0
}

// eligible reports whether the mapping holding addr may be backed by huge
// pages (THPeligible in /proc/self/smaps).
func eligible(t *testing.T, addr uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mapping(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if rest, ok := strings.CutPrefix(line, "THPeligible:"); ok && in {
			return strings.TrimSpace(rest) == "1"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	return false
}

// mapping parses the range of a mapping's first line in smaps
// ("7f00-7f80 rw-p ...").
func mapping(line string) (lo, hi uintptr, ok bool) {
	field, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(field, "-")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
