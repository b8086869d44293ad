package baseline

import (
	"cmp"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/address"
	"github.com/lockstep-iac/lockstep/report"
)

// Rules whose findings init declares: the differences a team may intend.
// Every other rule's findings (a shared secret, a cross-environment
// reference, a one-sided change, drift, version skew) must be fixed, never
// declared, so they are left for the person to see.
const (
	ruleDivergence = "attribute-divergence"
	ruleMissing    = "missing-resource"
)

// Declaration is one block of the generated file.
type Declaration struct {
	// Kind is "expect_difference" or "only_in".
	Kind string
	// Label is the block label: a name for expect_difference, the
	// environment for only_in.
	Label      string
	Resources  []string
	Attributes []string
	// Covers are the addresses of the findings the block declares, sorted.
	Covers []string
}

// group turns the findings a run without declarations gives into blocks:
// one expect_difference per resource type and attribute path, whatever the
// number of resources (40 instance sizes are one block), and one only_in
// per environment and resource type. Blocks come out sorted, so the file is
// the same for the same findings.
func group(findings []report.Finding, envs []string) []Declaration {
	diffs := map[[2]string]*Declaration{}
	only := map[[2]string]*Declaration{}
	for _, f := range findings {
		if f.Waived {
			continue
		}
		switch f.Rule {
		case ruleDivergence:
			typ, pattern, ok := typePattern(f.Address)
			if !ok {
				continue
			}
			for _, a := range f.Details.Attributes {
				p, ok := pathPattern(a.Path)
				if !ok {
					continue
				}
				k := [2]string{typ, p}
				d := diffs[k]
				if d == nil {
					d = &Declaration{Kind: "expect_difference", Label: typ + ": " + p, Attributes: []string{p}}
					diffs[k] = d
				}
				d.Resources = addSorted(d.Resources, pattern)
				d.Covers = addSorted(d.Covers, f.Address)
			}
		case ruleMissing:
			typ, _, ok := typePattern(f.Address)
			if !ok {
				continue
			}
			for _, e := range f.Details.Present {
				addr := f.Details.Addresses[e]
				if addr == "" {
					addr = f.Address
				}
				k := [2]string{e, typ}
				d := only[k]
				if d == nil {
					d = &Declaration{Kind: "only_in", Label: e}
					only[k] = d
				}
				d.Resources = addSorted(d.Resources, addr)
				d.Covers = addSorted(d.Covers, f.Address)
			}
		}
	}
	var out []Declaration
	for _, k := range sortedKeys(diffs, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }) {
		out = append(out, *diffs[k])
	}
	pos := func(e string) int { return slices.Index(envs, e) }
	for _, k := range sortedKeys(only, func(a, b [2]string) int { return cmp.Or(cmp.Compare(pos(a[0]), pos(b[0])), cmp.Compare(a[1], b[1])) }) {
		out = append(out, *only[k])
	}
	return out
}

func sortedKeys[V any](m map[[2]string]V, c func(a, b [2]string) int) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, c)
	return keys
}

func addSorted(list []string, s string) []string {
	i, found := slices.BinarySearch(list, s)
	if found {
		return list
	}
	return slices.Insert(list, i, s)
}

// typePattern returns a resource's type (data.TYPE for a data source) and
// the pattern for every resource of that type at its place in the module
// tree: module.app["api"].aws_instance.web[0] is
// module.app[*].aws_instance.*, which also covers the resources of that
// type whose values are equal today.
func typePattern(addr string) (typ, pattern string, ok bool) {
	a, err := address.Parse(addr)
	if err != nil || a.Resource == nil {
		return "", "", false
	}
	var steps []address.Step
	for _, m := range a.Module {
		k := address.Key{}
		if m.Key.Kind != address.NoKey {
			k.Kind = address.AnyKey
		}
		steps = append(steps, address.Step{Name: "module"}, address.Step{Name: m.Name, Key: k})
	}
	typ = a.Resource.Type
	switch a.Resource.Mode {
	case address.Data:
		steps = append(steps, address.Step{Name: "data"})
		typ = "data." + typ
	case address.Ephemeral:
		steps = append(steps, address.Step{Name: "ephemeral"})
		typ = "ephemeral." + typ
	}
	steps = append(steps, address.Step{Name: a.Resource.Type}, address.Step{Name: "*"})
	return typ, address.Render(steps), true
}

// pathPattern is an attribute path as a pattern: list indexes become * so
// that one block covers every element, and the path stops above a hidden
// step (a redacted map key), which the pattern then covers whole. A path
// whose steps cannot be written as a pattern (an empty step, a * in a key)
// is not declared: a check with the file still reports it.
func pathPattern(path string) (string, bool) {
	steps := strings.Split(path, ".")
	var out []string
	for _, s := range steps {
		if s == report.SensitiveText {
			break
		}
		if s == "" || strings.Contains(s, "*") {
			return "", false
		}
		if isIndex(s) {
			s = "*"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, "."), true
}

func isIndex(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
