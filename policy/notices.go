package policy

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// emptyDirNotices says, for each --policy directory from which no rule
// loads, what it holds instead. Such a directory is not an error (it may
// hold only data, or helper functions that other directories' rules
// import), but a user who points --policy at conftest's `package
// terraform` policies would otherwise see a clean run and believe the
// policies passed.
func emptyDirNotices(dirs []string, user map[string]*ast.Module, rules []Rule) []string {
	var out []string
	for _, dir := range dirs {
		under := func(file string) bool {
			d := filepath.Clean(dir)
			f := filepath.Clean(file)
			return d == "." || f == d || strings.HasPrefix(f, d+string(filepath.Separator))
		}
		if slices.ContainsFunc(rules, func(r Rule) bool { return !r.Builtin && under(r.File) }) {
			continue
		}
		var pkgs []string
		for file, m := range user {
			if under(file) {
				pkgs = append(pkgs, strings.TrimPrefix(m.Package.Path.String(), "data."))
			}
		}
		slices.Sort(pkgs)
		pkgs = slices.Compact(pkgs)
		const which = "lockstep runs the deny, violation and warn rules of package main and of packages lockstep.<name>"
		if len(pkgs) == 0 {
			out = append(out, fmt.Sprintf("%s %s loads no rule: it holds no .rego policy file (*_test.rego files are tests; %s)", PolicyFlag, dir, which))
			continue
		}
		out = append(out, fmt.Sprintf("%s %s loads no rule: its packages are %s (%s; a policy written for one plan, as conftest's, takes %s)",
			PolicyFlag, dir, strings.Join(pkgs, ", "), which, EnvPolicyFlag))
	}
	return out
}

// Notices are what the user should know about the policies loaded that is
// not an error: a --policy directory from which no rule loads.
func (e *Engine) Notices() []string { return e.notices }
