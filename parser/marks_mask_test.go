package parser

import (
	"encoding/json"
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

// TestCoveredGeneralOnRealOutput: on every marked object Terraform and
// OpenTofu wrote in the repository's real and scenario inputs (a
// resource's values under its sensitive_values, a change's before and
// after under their marks), coveredGeneral answers as covers of the
// generalised mask does, against no mark, against its own, and against
// the marks of the objects of its type read before it, as the reader
// meets them.
func TestCoveredGeneralOnRealOutput(t *testing.T) {
	pairs := [][2]string{{"values", "sensitive_values"}, {"before", "before_sensitive"}, {"after", "after_sensitive"}}
	marks := map[string]any{} // by file and type, merged as markPath merges them
	checked, covered := 0, 0
	eachRealObject(t, func(path string, m map[string]json.RawMessage) {
		var typ string
		if json.Unmarshal(m["type"], &typ) != nil {
			typ = "?"
		}
		for _, p := range pairs {
			rawValues, rawMask := m[p[0]], m[p[1]]
			if len(rawMask) == 0 || trivialMask(rawMask) {
				continue
			}
			values, err := decodeAttributes(rawValues, nil)
			if err != nil || values == nil {
				continue
			}
			mask, err := decodeJSONValue(rawMask, nil)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			g := generalise(values, mask)
			id := path + " " + typ
			for _, prev := range []any{nil, g, marks[id]} {
				want := covers(prev, g)
				if got := coveredGeneral(prev, values, mask); got != want {
					t.Errorf("%s %s: coveredGeneral(%v, values, %s) = %v, covers of %v says %v", path, typ, prev, rawMask, got, g, want)
				}
				checked++
				if want {
					covered++
				}
			}
			marks[id] = mergeMask(marks[id], g)
		}
	})
	if checked < 100 || covered == 0 || covered == checked {
		t.Fatalf("%d cases, %d covered: the inputs do not tell", checked, covered)
	}
	t.Logf("%d cases on real output, %d covered", checked, covered)
}
