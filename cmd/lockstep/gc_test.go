package main

import "testing"

// TestGCPercent: lockstep sets its own GC target for one-shot commands
// unless the user set GOGC or GOMEMLIMIT; report and serve keep Go's.
func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		set  bool
	}{
		{"nothing set", []string{"check"}, nil, true},
		{"no command", nil, nil, true},
		{"GOGC set", []string{"check"}, map[string]string{"GOGC": "200"}, false},
		{"GOGC off", []string{"check"}, map[string]string{"GOGC": "off"}, false},
		{"GOMEMLIMIT set", []string{"check"}, map[string]string{"GOMEMLIMIT": "1GiB"}, false},
		{"report", []string{"report", "--inputs", "x/{stack}/{env}.json"}, nil, false},
		{"serve", []string{"serve"}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			percent, ok := gcPercent(tc.args, func(k string) string { return tc.env[k] })
			if ok != tc.set || ok && percent != oneShotGC {
				t.Fatalf("gcPercent = %d, %v; want %v", percent, ok, tc.set)
			}
		})
	}
}
