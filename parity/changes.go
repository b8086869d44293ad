package parity

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// anyPlanChanges reports whether some environment's plan changes path.
func (c *comparer) anyPlanChanges(path []string) bool {
	for _, m := range c.members {
		if planChanges(m, path) {
			return true
		}
	}
	return false
}

// planChanges reports whether m's plan changes the value at path, at a
// path above it, or below it. It is asked only for the paths a finding
// lists, so nothing is collected per changed leaf.
func planChanges(m *snapshot.Resource, path []string) bool {
	switch {
	case m == nil || !snapshot.Changes(m.Actions) || m.After == nil:
		return false // unchanged, or deleted: a resource-level change
	case m.Now == nil:
		return true // created: every path is new
	}
	var before, after, unknown any = m.Now.Values, m.After.Values, m.After.Unknown
	for depth := 0; ; depth++ {
		if b, ok := unknown.(bool); ok && b {
			return true
		}
		bok, aok := isObject(before), isObject(after)
		if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
			if depth == len(path) {
				return anyChange(before, after, unknown)
			}
			k := path[depth]
			before, after, unknown = snapshot.Member(before, k), snapshot.Member(after, k), maskChild(unknown, k)
			continue
		}
		bl, bok := before.([]any)
		al, aok := after.([]any)
		if bok && aok && len(bl) == len(al) {
			if depth == len(path) {
				return anyChange(before, after, unknown)
			}
			i, err := strconv.Atoi(path[depth])
			if err != nil || i < 0 || i >= len(bl) {
				return false
			}
			before, after, unknown = bl[i], al[i], maskIndex(unknown, i)
			continue
		}
		if isEmpty(before) && isEmpty(after) {
			return false
		}
		// Compared whole here: a change here covers every path below.
		return !sameRaw(before, after)
	}
}

// anyChange reports whether anything below this node changes.
func anyChange(before, after, unknown any) bool {
	changed := false
	w := changeWalk{visit: func([]string, any, any) bool {
		changed = true
		return false
	}}
	w.walk(before, after, unknown)
	return changed
}

// changeWalk is the one walk over a before and an after value, behind both
// a plan's changes (planChanges) and drift entries (drift). It descends
// the two in step: maps (an empty value beside a map counts as an empty
// map) key by key in byte order, lists of one length element by element;
// anything else is compared whole as Terraform wrote it (sameRaw), and a
// node the after_unknown mask marks unknown is a change.
type changeWalk struct {
	// ignore holds key names never descended into.
	ignore *nameSet
	// visit is told each changed path, with the values on both sides; the
	// path is the walk's own buffer, valid until visit returns. It returns
	// false to stop the walk.
	visit func(path []string, before, after any) bool
	path  []string
	stop  bool
}

func (w *changeWalk) walk(before, after, unknown any) {
	if n := len(w.path); w.stop || n > 0 && w.ignore.has(w.path[n-1]) {
		return
	}
	if b, ok := unknown.(bool); ok && b {
		w.stop = !w.visit(w.path, before, after)
		return
	}
	bok, aok := isObject(before), isObject(after)
	if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
		keys := appendNames(appendNames(nil, before), after)
		sort.Strings(keys)
		for _, k := range slices.Compact(keys) {
			w.path = append(w.path, k)
			w.walk(snapshot.Member(before, k), snapshot.Member(after, k), maskChild(unknown, k))
			w.path = w.path[:len(w.path)-1]
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			w.path = append(w.path, strconv.Itoa(i))
			w.walk(bl[i], al[i], maskIndex(unknown, i))
			w.path = w.path[:len(w.path)-1]
		}
		return
	}
	if isEmpty(before) && isEmpty(after) || sameRaw(before, after) {
		return
	}
	w.stop = !w.visit(w.path, before, after)
}

// sameRaw compares two values as Terraform wrote them (no normalising),
// numbers by value.
func sameRaw(a, b any) bool { return rawEqual(a, b, true) }

// rawEqual is sameRaw; with secrets false, a secret (or a value of a type
// the decoder does not make) is equal to nothing, not even to the same
// secret, for the walk's quiet check: equal secrets are a finding.
func rawEqual(a, b any, secrets bool) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && (x == y || jsonnum.Equal(string(x), string(y)))
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case *snapshot.Attributes:
		y, ok := b.(*snapshot.Attributes)
		if !ok || !sameNames(x.Names(), y.Names()) {
			return false
		}
		for i := range x.Len() {
			if !rawEqual(x.At(i), y.At(i), secrets) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !rawEqual(xv, yv, secrets) {
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
			if !rawEqual(x[i], y[i], secrets) {
				return false
			}
		}
		return true
	}
	if !secrets {
		return false
	}
	if x, ok := a.(snapshot.Sensitive); ok {
		y, ok := b.(snapshot.Sensitive)
		return ok && x == y
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
