package main

import "testing"

// TestGCSettings: lockstep sets its own GC target for one-shot commands,
// and another for report, unless the user set GOGC or GOMEMLIMIT; serve
// keeps Go's. Only the one-shot commands collect between reading and
// comparing: report runs its stacks side by side. The same commands
// advise the heap for huge pages (package hugepages), whatever GOGC says:
// report and serve do not.
func TestGCSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		set  bool
		want gcSetting
		// phases is whether the command collects between reading and
		// comparing.
		phases bool
		// hugePages is whether it may advise the heap for huge pages.
		hugePages bool
	}{
		{"nothing set", []string{"check"}, nil, true, oneShotGC, true, true},
		{"no command", nil, nil, true, oneShotGC, true, true},
		{"GOGC set", []string{"check"}, map[string]string{"GOGC": "200"}, false, gcSetting{}, false, true},
		{"GOGC off", []string{"check"}, map[string]string{"GOGC": "off"}, false, gcSetting{}, false, true},
		{"GOMEMLIMIT set", []string{"check"}, map[string]string{"GOMEMLIMIT": "1GiB"}, false, gcSetting{}, false, true},
		{"report", []string{"report", "--inputs", "x/{stack}/{env}.json"}, nil, true, fleetGC, false, false},
		{"report, GOGC set", []string{"report"}, map[string]string{"GOGC": "100"}, false, gcSetting{}, false, false},
		{"serve", []string{"serve"}, nil, false, gcSetting{}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := gcSettings(tc.args, func(k string) string { return tc.env[k] })
			if ok != tc.set || got != tc.want {
				t.Fatalf("gcSettings = %+v, %v; want %+v, %v", got, ok, tc.want, tc.set)
			}
			if got.phases != tc.phases {
				t.Errorf("phases = %v, want %v", got.phases, tc.phases)
			}
			if got := oneShot(tc.args); got != tc.hugePages {
				t.Errorf("oneShot = %v, want %v", got, tc.hugePages)
			}
		})
	}
}
