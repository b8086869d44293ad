package policy

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// maxUnits bounds how many compilers the built-in rules are split over:
// each compiles lib again, a tenth of the rules' work.
const maxUnits = 4

// compileUnits splits the modules into the sets that are compiled apart,
// one per core up to maxUnits: compiling the built-in rules is most of a
// small run's start-up, and OPA's compiler uses one core. A built-in rule
// reads nothing of another's, only lib and the constants, so each unit is
// lib (every module that is no rule) and a share of the rules, balanced by
// the length of their source. User policies may import any built-in
// package, and their errors must read as one compiler reports them: with
// any, everything is one unit, as it is on one core.
func compileUnits(builtin, user map[string]*ast.Module, cores int) []map[string]*ast.Module {
	var rules []string
	for file, m := range builtin {
		if isRuleModule(m) {
			rules = append(rules, file)
		}
	}
	n := min(cores, maxUnits, len(rules))
	if len(user) > 0 || n < 2 {
		all := maps.Clone(builtin)
		maps.Copy(all, user)
		return []map[string]*ast.Module{all}
	}
	// The longest first, each to the unit with the least so far; ties by
	// name, so that the split is the same in every run.
	slices.SortFunc(rules, func(a, b string) int {
		return cmp.Or(cmp.Compare(sourceLen(builtin[b]), sourceLen(builtin[a])), strings.Compare(a, b))
	})
	units := make([]map[string]*ast.Module, n)
	load := make([]int, n)
	for i := range units {
		units[i] = map[string]*ast.Module{}
		for file, m := range builtin {
			if !isRuleModule(m) {
				units[i][file] = m
			}
		}
	}
	for _, file := range rules {
		u := slices.Index(load, slices.Min(load))
		units[u][file] = builtin[file]
		load[u] += sourceLen(builtin[file])
	}
	return units
}

// isRuleModule reports whether m is a built-in rule's package (not lib).
func isRuleModule(m *ast.Module) bool {
	return strings.HasPrefix(m.Package.Path.String(), "data.lockstep.rules.")
}

// sourceLen is the length of m's rules' source, what compiling it costs.
func sourceLen(m *ast.Module) int {
	n := 0
	for _, r := range m.Rules {
		if r.Location != nil {
			n += len(r.Location.Text)
		}
	}
	return n
}
