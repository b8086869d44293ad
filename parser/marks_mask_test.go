package parser

import (
	"reflect"
	"testing"
)

// TestCovers: a run's path mark is left as it is exactly when merging
// another into it would change nothing, for every pair of these
// generalised masks (what markPath relies on to skip the copy).
func TestCovers(t *testing.T) {
	masks := []any{
		nil, true,
		map[string]any{"a": true},
		map[string]any{"b": true},
		map[string]any{"a": true, "b": true},
		map[string]any{"a": map[string]any{"x": true}},
		map[string]any{"a": map[string]any{"x": true, "y": true}},
		map[string]any{"a": map[string]any{anyIndex: map[string]any{"s": true}}},
		map[string]any{"a": map[string]any{anyIndex: map[string]any{"s": true}, "1": true}},
		map[string]any{"a": map[string]any{"0": true}},
	}
	for _, a := range masks {
		for _, b := range masks {
			merged := mergeMask(a, b)
			if got, want := covers(a, b), reflect.DeepEqual(merged, a); got != want {
				t.Errorf("covers(%v, %v) = %v, but merging gives %v", a, b, got, merged)
			}
		}
	}
}
