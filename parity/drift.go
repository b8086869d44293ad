package parity

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// drift lists every environment's resource_drift entries with the attribute
// paths that changed outside Terraform. Paths named like identifiers or
// timestamps are left out, as in comparisons: providers refresh them on
// their own, and an update that changed nothing else is not reported.
func (b *builder) drift() []*Drift {
	out := []*Drift{}
	for _, ix := range b.envs {
		var env []*Drift
		for _, ch := range ix.env.Snapshot.Drift {
			d := &Drift{Env: ix.env.Name, Address: ch.Address, Type: ch.Type,
				Action: snapshot.ActionVerb(ch.Actions), Attributes: []DriftAttribute{}}
			if ch.After != nil && ch.Before != nil {
				w := driftWalker{ignore: b.ignore}
				w.walk(ch.Before, ch.After)
				d.Attributes, d.AttributesOmitted = w.changed, w.omitted
				if len(d.Attributes) == 0 {
					continue
				}
			}
			env = append(env, d)
		}
		sort.Slice(env, func(i, j int) bool { return env[i].Address < env[j].Address })
		out = append(out, env...)
	}
	return out
}

type driftWalker struct {
	ignore  map[string]bool
	path    []string
	changed []DriftAttribute
	// omitted counts the changed paths beyond the first MaxPaths.
	omitted int
}

func (w *driftWalker) walk(before, after any) {
	if n := len(w.path); n > 0 && w.ignore[w.path[n-1]] {
		return
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
		keys := unionKeys([]side{{v: bm}, {v: am}})
		sort.Strings(keys)
		for _, k := range keys {
			w.path = append(w.path, k)
			w.walk(bm[k], am[k])
			w.path = w.path[:len(w.path)-1]
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			w.path = append(w.path, strconv.Itoa(i))
			w.walk(bl[i], al[i])
			w.path = w.path[:len(w.path)-1]
		}
		return
	}
	if isEmpty(before) && isEmpty(after) || sameRaw(before, after) {
		return
	}
	if len(w.changed) == MaxPaths {
		w.omitted++
		return
	}
	w.changed = append(w.changed, DriftAttribute{
		Path:   strings.Join(w.path, "."),
		Before: display(before),
		After:  display(after),
	})
}
