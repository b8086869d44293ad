package parity

import (
	"encoding/json"
)

// quiet reports whether a walk below sides can find nothing: every side
// holds exactly the same value (same strings, numbers as written, same
// keys), none holds a secret, and nothing is unknown. Such a subtree has
// no path that differs, no shared secret and no unknown value, whatever
// the normalisation, so the walk steps over it. Most of a large plan is
// such subtrees, and checking them plainly costs a fraction of walking
// them (sorting keys, building paths, normalising strings).
func quiet(sides []side) bool {
	if len(sides) < 2 {
		return false
	}
	for _, sd := range sides {
		if sd.unknown != nil {
			return false
		}
	}
	for _, sd := range sides[1:] {
		if !plainEqual(sides[0].v, sd.v) {
			return false
		}
	}
	return true
}

// plainEqual is exact equality of decoded JSON values without a secret
// anywhere: a Sensitive marker (or any other type) is never plainly equal,
// since equal secrets are a finding of their own.
func plainEqual(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !plainEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !plainEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return false
}
