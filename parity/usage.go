package parity

import (
	"slices"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Usage says what each declaration of Options matched in this run, in the
// order of Options.Declared and Options.OnlyIn. A declaration that selects
// nothing is a typo (terraform_data.netwrok, cidr for input.cidr) or a
// leftover, and it would otherwise hide nothing in silence while its reader
// believes it covers something; the unused-declaration rule reports it.
// "Matched" means the pattern selects something that exists, whether or not
// it differs today: a declared difference that is equal for now is not
// unused.
type Usage struct {
	Declared []DeclaredUsage
	OnlyIn   []OnlyInUsage
}

// DeclaredUsage is one Declared: per pattern, whether it matched.
type DeclaredUsage struct {
	// Resources[i] is true when Declared.Resources[i] matched the address
	// of a resource in some environment (or its canonical address).
	Resources []bool
	// Attributes[i] is true when Declared.Attributes[i] matched a path in
	// the values of a resource the declaration selects, in some
	// environment, now or after its plan.
	Attributes []bool
}

// OnlyInUsage is one OnlyIn: whether its environment is one of those
// compared, and per pattern whether it matched a resource.
type OnlyInUsage struct {
	Env       bool
	Resources []bool
}

func newUsage(opts Options) *Usage {
	u := &Usage{Declared: make([]DeclaredUsage, len(opts.Declared)), OnlyIn: make([]OnlyInUsage, len(opts.OnlyIn))}
	for i, d := range opts.Declared {
		u.Declared[i] = DeclaredUsage{Resources: make([]bool, len(d.Resources)), Attributes: make([]bool, len(d.Attributes))}
	}
	for i, o := range opts.OnlyIn {
		u.OnlyIn[i] = OnlyInUsage{Resources: make([]bool, len(o.Resources))}
		for _, e := range opts.Envs {
			if e.Name == o.Env || slices.Contains(e.Aliases, o.Env) {
				u.OnlyIn[i].Env = true
			}
		}
	}
	return u
}

// record marks what the declarations match on one matched resource, given
// its addresses (every environment's and the canonical one) and its members.
// A pattern already marked is not tried again, so the walk over values
// happens only while some attribute pattern of a matching declaration has
// matched nothing yet.
func (u *Usage) record(opts Options, addresses []string, members []*snapshot.Resource) {
	for i, d := range opts.Declared {
		du := &u.Declared[i]
		selected := false
		for j, p := range d.Resources {
			if matchAny([]AddressMatcher{p}, addresses) {
				du.Resources[j], selected = true, true
			}
		}
		if !selected || !slices.Contains(du.Attributes, false) {
			continue
		}
		for j, p := range d.Attributes {
			if !du.Attributes[j] && anyPath(p, members) {
				du.Attributes[j] = true
			}
		}
	}
	for i, o := range opts.OnlyIn {
		for j, p := range o.Resources {
			if !u.OnlyIn[i].Resources[j] && matchAny([]AddressMatcher{p}, addresses) {
				u.OnlyIn[i].Resources[j] = true
			}
		}
	}
}

// anyPath reports whether p matches a path, leaf or not, of some member's
// values now or after its plan, or the path of one of its hidden values.
func anyPath(p PathMatcher, members []*snapshot.Resource) bool {
	for _, r := range members {
		if r == nil {
			continue
		}
		for o := range objects(r) {
			if pathIn(p, nil, o.Values) {
				return true
			}
			for k := range o.Sensitive {
				if p.Match(strings.Split(k, ".")) {
					return true
				}
			}
		}
	}
	return false
}

// pathIn walks v depth first, with list elements as their index, as the
// comparison names them, and reports whether p matches a path in it.
func pathIn(p PathMatcher, path []string, v any) bool {
	if len(path) > 0 && p.Match(path) {
		return true
	}
	switch t := v.(type) {
	case *snapshot.Attributes:
		for k, c := range t.All() {
			if pathIn(p, append(path[:len(path):len(path)], k), c) {
				return true
			}
		}
	case map[string]any:
		for k, c := range t {
			if pathIn(p, append(path[:len(path):len(path)], k), c) {
				return true
			}
		}
	case []any:
		for i, c := range t {
			if pathIn(p, append(path[:len(path):len(path)], strconv.Itoa(i)), c) {
				return true
			}
		}
	}
	return false
}
