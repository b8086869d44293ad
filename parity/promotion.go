package parity

import (
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// promotion compares the target's planned object with what the previous
// environment has now.
func (c *comparer) promotion() *Promotion {
	t := c.members[c.b.target]
	if t == nil || !snapshot.Changes(t.Actions) {
		return nil
	}
	p := &Promotion{Action: snapshot.ActionVerb(t.Actions), Paths: []PromotionPath{}}
	if c.b.previous < 0 {
		return nil
	}
	p.Previous = c.b.envs[c.b.previous].env.Name
	prev := c.members[c.b.previous]
	p.PreviousHas = prev != nil && prev.Now != nil
	if t.After == nil || !p.PreviousHas {
		return p
	}
	sides := []side{
		{env: c.b.target, v: t.After.Values, unknown: t.After.Unknown},
		{env: c.b.previous, v: prev.Now.Values},
	}
	w := &walker{c: c}
	w.walk(sides, sink{differs: func(path []string, ss []side) {
		if !planChanges(t, path) {
			return // a difference the target's plan does not make
		}
		if len(p.Paths) == MaxPaths {
			p.PathsOmitted++
			return
		}
		var tv, pv any
		for _, sd := range ss {
			if sd.env == c.b.target {
				tv = display(sd.v)
			} else {
				pv = display(sd.v)
			}
		}
		p.Paths = append(p.Paths, PromotionPath{Path: strings.Join(path, "."), Target: tv, Previous: pv})
	}})
	sort.Slice(p.Paths, func(i, j int) bool { return p.Paths[i].Path < p.Paths[j].Path })
	return p
}
