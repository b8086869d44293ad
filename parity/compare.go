package parity

import (
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// comparer compares one matched resource across environments.
type comparer struct {
	b        *builder
	declared []PathMatcher
	// scoped are the declared differences limited to some environments.
	scoped  []scoped
	members []*snapshot.Resource
	typ     string
	// omitted counts the attribute paths, and the shared-secret paths,
	// found beyond MaxPaths.
	omitted, sharedOmitted int
	// shared holds the first MaxPaths paths where environments hold the
	// same sensitive value, with the environments (sets of indexes).
	shared []record
}

// record is everything found at one path by both walks.
type record struct {
	path                     []string
	differsNow, differsAfter bool
	unknown                  bool
	shared                   []envSet
}

// attributes compares the current states and the plans' results. Both walks
// visit paths in one order (cmpPath), so merging their events in step gives
// each differing path once without holding them all: memory stays bounded
// by MaxPaths however many paths differ (a million-element list that
// differs everywhere keeps 100 and counts the rest).
func (c *comparer) attributes() []*Attribute {
	var now, after []side
	for i, m := range c.members {
		if m == nil {
			continue
		}
		if m.Now != nil {
			now = append(now, side{env: i, v: m.Now.Values})
		}
		if m.After != nil {
			after = append(after, side{env: i, v: m.After.Values, unknown: m.After.Unknown})
		}
	}
	var kept []record
	keep := func(rec record) {
		if rec.shared != nil {
			if len(c.shared) < MaxPaths {
				c.shared = append(c.shared, rec)
			} else {
				c.sharedOmitted++
			}
		}
		// A path unknown somewhere that differs nowhere is listed only when
		// a plan changes it.
		if rec.differsNow || rec.differsAfter || rec.unknown && c.anyPlanChanges(rec.path) {
			if len(kept) < MaxPaths {
				kept = append(kept, rec)
			} else {
				c.omitted++
			}
		}
	}
	if c.plansChangeNothing() {
		// Both walks would be the same walk: one gives every record.
		if len(now) > 1 {
			var rec record
			for e := range c.events(now, false) {
				if rec.path == nil || cmpPath(e.path, rec.path) != 0 {
					if rec.path != nil {
						keep(rec)
					}
					rec = record{path: slices.Clone(e.path)}
				}
				rec.differsNow = rec.differsNow || e.differs
				rec.differsAfter = rec.differsNow
				rec.shared = mergeGroups(rec.shared, e.shared)
			}
			if rec.path != nil {
				keep(rec)
			}
		}
	} else {
		c.mergeWalks(now, after, keep)
	}

	out := make([]*Attribute, 0, len(kept))
	var leaves []afterLeaf
	for _, rec := range kept {
		// An environment declared to differ here is not one of the values
		// that differ: the finding is about the others.
		ex := c.excluded(rec.path)
		a := &Attribute{Path: strings.Join(rec.path, "."), Now: map[string]any{}, After: map[string]any{},
			Changed: []string{}, Unknown: []string{}, DiffersNow: rec.differsNow, DiffersAfter: rec.differsAfter,
			References: c.references(rec.path)}
		leaves = leaves[:0]
		for i, m := range c.members {
			if m == nil || ex.has(i) {
				continue
			}
			name := c.b.envs[i].env.Name
			if m.Now != nil {
				v, _ := lookup(m.Now.Values, nil, rec.path)
				a.Now[name] = display(v)
			}
			l := afterLeaf{env: i, present: m.After != nil}
			if m.After != nil {
				l.v, l.unknown = lookup(m.After.Values, m.After.Unknown, rec.path)
				if l.unknown {
					a.After[name] = UnknownText
					a.Unknown = append(a.Unknown, name)
				} else {
					a.After[name] = display(l.v)
				}
			}
			if planChanges(m, rec.path) {
				a.Changed = append(a.Changed, name)
				l.changed = true
			}
			leaves = append(leaves, l)
		}
		if rec.differsAfter {
			a.Diverges = c.divergence(leaves, rec.path)
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func noEvents(func(event) bool) {}

// plansChangeNothing reports whether every member's plan leaves its object
// as it is (the object after is the object now, with nothing unknown), as
// for most resources of a large plan: the walk of the plans' results would
// repeat the walk of the current states event for event.
func (c *comparer) plansChangeNothing() bool {
	for _, m := range c.members {
		if m != nil && (m.Now != m.After || m.After != nil && m.After.Unknown != nil) {
			return false
		}
	}
	return true
}

// mergeWalks walks the current states and the plans' results in step and
// gives keep each path's record.
func (c *comparer) mergeWalks(now, after []side, keep func(record)) {
	var nowSeq, afterSeq iter.Seq[event] = noEvents, noEvents
	if len(now) > 1 {
		nowSeq = c.events(now, false)
	}
	if len(after) > 1 {
		afterSeq = c.events(after, true)
	}
	nextNow, stopNow := iter.Pull(nowSeq)
	defer stopNow()
	nextAfter, stopAfter := iter.Pull(afterSeq)
	defer stopAfter()

	en, okNow := nextNow()
	ea, okAfter := nextAfter()
	for okNow || okAfter {
		var p []string
		switch {
		case !okAfter:
			p = en.path
		case !okNow:
			p = ea.path
		case cmpPath(en.path, ea.path) <= 0:
			p = en.path
		default:
			p = ea.path
		}
		rec := record{path: slices.Clone(p)}
		for okNow && cmpPath(en.path, rec.path) == 0 {
			rec.differsNow = rec.differsNow || en.differs
			rec.shared = mergeGroups(rec.shared, en.shared)
			en, okNow = nextNow()
		}
		for okAfter && cmpPath(ea.path, rec.path) == 0 {
			rec.differsAfter = rec.differsAfter || ea.differs
			rec.unknown = rec.unknown || ea.unknown
			rec.shared = mergeGroups(rec.shared, ea.shared)
			ea, okAfter = nextAfter()
		}
		keep(rec)
	}
}
