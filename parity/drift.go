package parity

import (
	"sort"
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
				w := changeWalk{ignore: b.ignore, visit: func(path []string, before, after any) bool {
					if len(d.Attributes) == MaxPaths {
						d.AttributesOmitted++
						return true
					}
					d.Attributes = append(d.Attributes, DriftAttribute{
						Path: strings.Join(path, "."), Before: display(before), After: display(after),
					})
					return true
				}}
				w.walk(ch.Before, ch.After, nil)
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
