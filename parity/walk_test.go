package parity

import (
	"slices"
	"testing"
)

// TestSortSteps checks that the quick sort of map keys gives cmpStep's
// order, with and without list indexes among the keys.
func TestSortSteps(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want []string
	}{
		{"names", []string{"tags", "ami", "Zone", "ebs_block_device", "a"}, []string{"Zone", "a", "ami", "ebs_block_device", "tags"}},
		{"indexes first, by number", []string{"b", "10", "9", "a", "0"}, []string{"0", "9", "10", "a", "b"}},
		{"not indexes", []string{"01", "-1", "1a", "2"}, []string{"2", "-1", "01", "1a"}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.keys)
			sortSteps(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("sortSteps(%q) = %q, want %q", tt.keys, got, tt.want)
			}
			byFunc := slices.Clone(tt.keys)
			slices.SortFunc(byFunc, cmpStep)
			if !slices.Equal(got, byFunc) {
				t.Errorf("sortSteps(%q) = %q, cmpStep's order is %q", tt.keys, got, byFunc)
			}
		})
	}
}
