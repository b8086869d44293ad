package gcphase

import (
	"runtime"
	"runtime/debug"
	"testing"
)

var sink [][]byte

// TestEnd: End collects exactly when enabled and the heap holds MinHeap
// or more, live or garbage. Automatic collection is off during the test,
// so every cycle counted is End's.
func TestEnd(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer Enable(false)
	cycles := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	for _, tc := range []struct {
		name          string
		on            bool
		garbage, live int // bytes made before End
		want          bool
	}{
		{"off", false, 2 * MinHeap, 0, false},
		{"on, garbage", true, 2 * MinHeap, 0, true},
		{"on, live, just collected", true, 0, 2 * MinHeap, true},
		{"on, a small heap", true, MinHeap / 4, 0, false},
		{"off again", false, 2 * MinHeap, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink = nil
			runtime.GC()
			Enable(tc.on)
			var live [][]byte
			for n := 0; n < tc.live; n += 1 << 20 {
				live = append(live, make([]byte, 1<<20))
			}
			if tc.live > 0 {
				runtime.GC() // what stays is live, and was just collected
			}
			for n := 0; n < tc.garbage; n += 1 << 20 {
				sink = append(sink, make([]byte, 1<<20))
			}
			sink = nil
			before := cycles()
			if got := End(); got != tc.want {
				t.Errorf("End() = %v, want %v", got, tc.want)
			}
			want := uint32(0)
			if tc.want {
				want = 1
			}
			if got := cycles() - before; got != want {
				t.Errorf("%d collections, want %d", got, want)
			}
			runtime.KeepAlive(live)
		})
	}
}
