package parity

import (
	"slices"
	"strings"
)

// AttributeReferences says that an attribute is a set of references in
// every environment, and which resources each environment's set points at.
type AttributeReferences struct {
	// Now and After map each environment where the resource exists at that
	// point to the addresses its list points at, sorted. An address is the
	// referenced resource's address in the first environment (promotion
	// order) that has it, so that the same resource reads the same in
	// every environment.
	Now   map[string][]string `json:"now"`
	After map[string][]string `json:"after"`
}

// refSet returns the canonical targets of a list whose every element
// identifies a resource of env's own state (see indexIdentities), sorted;
// ok is false for anything else. Terraform writes a set of strings sorted
// by value, so the same security groups come out in a different order in
// each environment (their ids differ): such lists are compared as the sets
// of resources they point at, not by position.
func (b *builder) refSet(env int, v any) (targets []string, ok bool) {
	list, isList := v.([]any)
	if !isList {
		return nil, false
	}
	ids := b.envs[env].identities
	targets = make([]string, 0, len(list))
	for _, e := range list {
		s, isString := e.(string)
		if !isString {
			return nil, false
		}
		ref, found := ids[s]
		if !found {
			return nil, false
		}
		targets = append(targets, ref)
	}
	slices.Sort(targets)
	return targets, true
}

// sameReferenceSets compares the sides of a walk as sets of references.
// handled is false when some side is not a list of its own environment's
// references, or every list is empty: the walk then compares by position.
func (c *comparer) sameReferenceSets(sides []side) (same, handled bool) {
	// Asked at every node of every walk, and almost every node is no
	// list: that is settled before anything is made.
	for _, sd := range sides {
		if _, isList := sd.v.([]any); !isList {
			return false, false
		}
	}
	var buf [4][]string
	sets := buf[:0]
	elements := 0
	for _, sd := range sides {
		set, ok := c.b.refSet(sd.env, sd.v)
		if !ok {
			return false, false
		}
		sets = append(sets, set)
		elements += len(set)
	}
	if elements == 0 {
		return false, false
	}
	for _, set := range sets[1:] {
		if !slices.Equal(sets[0], set) {
			return false, true
		}
	}
	return true, true
}

// references describes the attribute at path when every environment's
// value there is a set of references: nil otherwise.
func (c *comparer) references(path []string) *AttributeReferences {
	out := &AttributeReferences{Now: map[string][]string{}, After: map[string][]string{}}
	elements := 0
	for i, m := range c.members {
		if m == nil {
			continue
		}
		name := c.b.envs[i].env.Name
		if m.Now != nil {
			v, _ := lookup(m.Now.Values, nil, path)
			set, ok := c.b.refSet(i, v)
			if !ok {
				return nil
			}
			out.Now[name] = c.b.addresses(set)
			elements += len(set)
		}
		if m.After != nil {
			v, unk := lookup(m.After.Values, m.After.Unknown, path)
			if unk {
				continue
			}
			set, ok := c.b.refSet(i, v)
			if !ok {
				return nil
			}
			out.After[name] = c.b.addresses(set)
			elements += len(set)
		}
	}
	if elements == 0 {
		return nil
	}
	return out
}

// addresses turns sorted references ("${ref:CANONICAL.ATTR}") into the
// addresses of the resources they point at.
func (b *builder) addresses(refs []string) []string {
	out := make([]string, 0, len(refs))
	for _, ref := range refs {
		c := strings.TrimSuffix(strings.TrimPrefix(ref, "${ref:"), "}")
		if dot := strings.LastIndexByte(c, '.'); dot >= 0 {
			c = c[:dot]
		}
		out = append(out, b.address(c))
	}
	return out
}

// address is a canonical address as the first environment that has the
// resource spells it.
func (b *builder) address(canonical string) string {
	for _, ix := range b.envs {
		if r := ix.byCanonical[canonical]; r != nil {
			return r.Address
		}
	}
	return canonical
}
