package main

import "testing"

// TestGCSettings: lockstep sets its own GC target for one-shot commands,
// and another for report, unless the user set GOGC or GOMEMLIMIT; serve
// keeps Go's.
func TestGCSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		set  bool
		want gcSetting
	}{
		{"nothing set", []string{"check"}, nil, true, oneShotGC},
		{"no command", nil, nil, true, oneShotGC},
		{"GOGC set", []string{"check"}, map[string]string{"GOGC": "200"}, false, gcSetting{}},
		{"GOGC off", []string{"check"}, map[string]string{"GOGC": "off"}, false, gcSetting{}},
		{"GOMEMLIMIT set", []string{"check"}, map[string]string{"GOMEMLIMIT": "1GiB"}, false, gcSetting{}},
		{"report", []string{"report", "--inputs", "x/{stack}/{env}.json"}, nil, true, fleetGC},
		{"report, GOGC set", []string{"report"}, map[string]string{"GOGC": "100"}, false, gcSetting{}},
		{"serve", []string{"serve"}, nil, false, gcSetting{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := gcSettings(tc.args, func(k string) string { return tc.env[k] })
			if ok != tc.set || got != tc.want {
				t.Fatalf("gcSettings = %+v, %v; want %+v, %v", got, ok, tc.want, tc.set)
			}
		})
	}
}
