package parser

import (
	"strconv"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// anyIndex stands for every index of a list in a generalised mask.
const anyIndex = "*"

// generalise turns an input's own mask into a path mark: the same shape,
// except inside lists. A list element marked as a whole keeps its index (the
// sensitive one of ["x", var.secret]); a mark inside an element (a block's
// sensitive attribute) applies to every element, under anyIndex, as blocks
// are added and removed per environment.
func generalise(v, mask any) any {
	switch mk := mask.(type) {
	case bool:
		if mk {
			return true
		}
	case map[string]any:
		if t, ok := v.([]any); ok {
			var out any
			for i := range t {
				if sub := maskIndex(mk, i); sub != nil {
					out = mergeMask(out, generaliseElement(i, generalise(t[i], sub)))
				}
			}
			return out
		}
		// A map, or a value absent because it is unknown: keep the keys.
		var out map[string]any
		for k, sub := range mk {
			if g := generalise(snapshot.Member(v, k), sub); g != nil {
				if out == nil {
					out = map[string]any{}
				}
				out[k] = g
			}
		}
		if out != nil {
			return out
		}
	case []any:
		t, _ := v.([]any)
		var out any
		for i, sub := range mk {
			var e any
			if i < len(t) {
				e = t[i]
			}
			out = mergeMask(out, generaliseElement(i, generalise(e, sub)))
		}
		return out
	}
	return nil
}

// coveredGeneral reports whether the path mark a covers generalise(v,
// mask), without making the generalised mask where a list plays no part:
// every instance of a resource (count, for_each) marks the same paths,
// and the mask made for each but the first was garbage, a map or more per
// resource of a large plan.
func coveredGeneral(a, v, mask any) bool {
	switch mk := mask.(type) {
	case bool:
		return !mk || isTrue(a)
	case map[string]any:
		if _, list := v.([]any); list {
			break
		}
		if isTrue(a) {
			return true
		}
		am, _ := a.(map[string]any)
		for k, sub := range mk {
			if !coveredGeneral(am[k], snapshot.Member(v, k), sub) {
				return false
			}
		}
		return true
	}
	return covers(a, generalise(v, mask))
}

func generaliseElement(i int, g any) any {
	switch {
	case g == nil:
		return nil
	case isTrue(g):
		return map[string]any{strconv.Itoa(i): true}
	}
	return map[string]any{anyIndex: g}
}

// mergeMask returns the union of two generalised masks without changing
// either: masks are shared between Marks.
func mergeMask(a, b any) any {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case isTrue(a) || isTrue(b):
		return true
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		return true
	}
	out := make(map[string]any, len(am)+len(bm))
	for k, v := range am {
		out[k] = v
	}
	for k, v := range bm {
		out[k] = mergeMask(out[k], v)
	}
	return out
}

// covers reports whether generalised mask a marks everything b marks, so
// that mergeMask(a, b) would mark no more than a.
func covers(a, b any) bool {
	switch {
	case b == nil:
		return true
	case a == nil:
		return false
	case isTrue(a):
		return true
	case isTrue(b):
		return false
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		return false
	}
	for k, sub := range bm {
		if !covers(am[k], sub) {
			return false
		}
	}
	return true
}
