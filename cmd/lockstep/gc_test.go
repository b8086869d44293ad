package main

import "testing"

// TestGCPercent: lockstep sets its own GC target unless the user set GOGC
// or GOMEMLIMIT.
func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		set  bool
	}{
		{"nothing set", nil, true},
		{"GOGC set", map[string]string{"GOGC": "200"}, false},
		{"GOGC off", map[string]string{"GOGC": "off"}, false},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			percent, ok := gcPercent(func(k string) string { return tc.env[k] })
			if ok != tc.set || ok && percent != oneShotGC {
				t.Fatalf("gcPercent = %d, %v; want %v", percent, ok, tc.set)
			}
		})
	}
}
