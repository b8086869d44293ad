package gcphase

import (
	"runtime"
	"runtime/debug"
	"testing"
)

var sink [][]byte

// TestEnd: End collects exactly when enabled and the heap grew by
// MinGrowth since the last collection. Automatic collection is off during
// the test, so every cycle counted is End's.
func TestEnd(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer Enable(false)
	cycles := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	for _, tc := range []struct {
		name  string
		on    bool
		alloc int // bytes of garbage made before End
		want  bool
	}{
		{"off", false, 2 * MinGrowth, false},
		{"on, grown", true, 2 * MinGrowth, true},
		{"on, collected just before", true, 0, false},
		{"on, grown a little", true, MinGrowth / 4, false},
		{"off again", false, 2 * MinGrowth, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runtime.GC()
			Enable(tc.on)
			for n := 0; n < tc.alloc; n += 1 << 20 {
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
		})
	}
}
