package parser

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
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

// TestCoveredGeneral: coveredGeneral answers as covers does of the mask
// generalise makes, for random marks, values and masks: maps, lists,
// Attributes, scalars and nils, nested, with indexes and anyIndex.
func TestCoveredGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	names := []string{"a", "b", "c", "0", "1", anyIndex}
	var value func(depth int) any
	value = func(depth int) any {
		switch n := rng.IntN(7); {
		case depth > 3 || n == 0:
			return "v"
		case n == 1:
			return nil
		case n == 2 || n == 3:
			var l []any
			for range rng.IntN(4) {
				l = append(l, value(depth+1))
			}
			return l
		case n == 4:
			return snapshot.NewAttributes(map[string]any{"a": value(depth + 1), "b": value(depth + 1)})
		default:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[names[rng.IntN(3)]] = value(depth + 1)
			}
			return m
		}
	}
	var mask func(depth int, generalised bool) any
	mask = func(depth int, generalised bool) any {
		switch n := rng.IntN(6); {
		case depth > 3 || n == 0:
			return rng.IntN(2) == 0
		case n == 1:
			return nil
		case n == 2 && !generalised:
			var l []any
			for range rng.IntN(4) {
				l = append(l, mask(depth+1, generalised))
			}
			return l
		default:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[names[rng.IntN(len(names))]] = mask(depth+1, generalised)
			}
			return m
		}
	}
	counts := map[bool]int{}
	for i := range 200000 {
		v, mk := value(0), mask(0, false)
		a := mask(0, true)
		if i%3 == 0 {
			a = generalise(v, mk) // covered: the same instance again
		}
		want := covers(a, generalise(v, mk))
		if got := coveredGeneral(a, v, mk); got != want {
			t.Fatalf("coveredGeneral(%v, %v, %v) = %v, covers of the generalised mask %v", a, v, mk, got, want)
		}
		counts[want]++
	}
	if counts[true] < 1000 || counts[false] < 1000 {
		t.Fatalf("covered %d times, not %d: the cases do not tell", counts[true], counts[false])
	}
}
