package parity

import (
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// sameSecret groups the environments whose leaf is a sensitive value, not
// too plain to be a credential, that another environment's leaf also holds:
// one set of environment indexes per distinct shared value.
func sameSecret(sides []side) []envSet {
	var groups []envSet
	var done envSet
	for i, a := range sides {
		x, ok := a.v.(snapshot.Sensitive)
		if !ok || x.Weak || done.has(a.env) {
			continue
		}
		var g envSet
		for _, b := range sides[i+1:] {
			if y, ok := b.v.(snapshot.Sensitive); ok && y.Hash == x.Hash {
				g.add(a.env)
				g.add(b.env)
			}
		}
		if g != nil {
			done.union(g)
			groups = append(groups, g)
		}
	}
	return groups
}

// sharedSecrets lists the paths where environments share a secret, one
// entry per group of environments sharing one value.
func (c *comparer) sharedSecrets() []SharedSecret {
	out := []SharedSecret{}
	for _, rec := range c.shared {
		path := strings.Join(rec.path, ".")
		for _, g := range rec.shared {
			s := SharedSecret{Path: path}
			for i, ix := range c.b.envs {
				if g.has(i) {
					s.Envs = append(s.Envs, ix.env.Name)
				}
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return strings.Join(out[i].Envs, ",") < strings.Join(out[j].Envs, ",")
	})
	return out
}

func mergeGroups(into, from []envSet) []envSet {
	for _, g := range from {
		if !slices.ContainsFunc(into, g.equal) {
			into = append(into, g)
		}
	}
	return into
}
