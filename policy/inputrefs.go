package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// singlePlanPaths are the top-level keys of Terraform's own plan and state
// JSON that lockstep's cross-environment input document does not have: a
// --policy rule reading one can never fire.
var singlePlanPaths = []string{"resource_changes", "planned_values", "prior_state", "configuration", "values"}

// crossEnvPaths are the keys only the cross-environment document has; a
// --env-policy rule reading input.env can never fire. input.resources is
// also raw state's (terraform.tfstate), so it is judged per environment
// (see envRules.check).
var crossEnvPaths = []string{"env", "resources"}

// inputRead is a rule that reads input.<key>, where.
type inputRead struct {
	Rule string // package.rule, as the author wrote them
	Key  string
	At   *ast.Location
}

// inputReads lists, in file order, every read of input.<key> for a key in
// keys by the rules of the named compiled modules: found in the compiled
// rules' references (so `some x in input.k`, `input["k"]` and a reference
// passed to a function all count), not in the source text. A function's
// parameters are not followed: a rule passing input.k to one reads it.
func inputReads(compiler *ast.Compiler, names []string, keys []string) []inputRead {
	var out []inputRead
	for _, name := range slices.Sorted(slices.Values(names)) {
		m := compiler.Modules[name]
		if m == nil {
			continue
		}
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		for _, r := range m.Rules {
			rule := pkg + "." + r.Head.Ref().String()
			seen := map[string]bool{}
			// The compiler rewrites `some x in input.k` and the like into
			// terms of its own, without locations: a read is located at
			// its term, else its expression, else its rule.
			at := r.Location
			visit := func(t *ast.Term) bool {
				ref, ok := t.Value.(ast.Ref)
				if !ok || len(ref) < 2 || !ref[0].Equal(ast.InputRootDocument) {
					return false
				}
				key, ok := ref[1].Value.(ast.String)
				if !ok || !slices.Contains(keys, string(key)) || seen[string(key)] {
					return false
				}
				seen[string(key)] = true
				loc := t.Location
				if loc == nil {
					loc = at
				}
				out = append(out, inputRead{Rule: rule, Key: string(key), At: loc})
				return false
			}
			ast.WalkTerms(r.Head, visit)
			ast.WalkExprs(r.Body, func(e *ast.Expr) bool {
				if e.Location != nil {
					at = e.Location
				}
				ast.WalkTerms(e, visit)
				// Nested bodies (comprehensions, every) are visited by the
				// walk of their expression's terms, and reached again here
				// with their own locations.
				return false
			})
			if r.Else != nil {
				ast.WalkRules(r.Else, func(e *ast.Rule) bool {
					at = e.Location
					ast.WalkTerms(e, visit)
					return false
				})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b inputRead) int {
		if a.At == nil || b.At == nil || a.At.File != b.At.File {
			return 0
		}
		return a.At.Row - b.At.Row
	})
	return out
}

// readsError is the policy error for rules reading what their document
// lacks, one problem per rule and key.
func readsError(reads []inputRead, why func(inputRead) string) error {
	if len(reads) == 0 {
		return nil
	}
	e := &Error{}
	for _, r := range reads {
		p := Problem{Message: fmt.Sprintf("%s reads input.%s, %s", r.Rule, r.Key, why(r))}
		if r.At != nil {
			p.File, p.Line, p.Column = r.At.File, r.At.Row, r.At.Col
		}
		e.Problems = append(e.Problems, p)
	}
	return e
}

// SinglePlanHint ends the error about a --policy rule that reads Terraform's
// own plan or state JSON.
const SinglePlanHint = "this looks like a single-plan policy; load it with " + EnvPolicyFlag

// checkCrossEnvReads rejects the --policy rules that read a key of
// Terraform's plan or state JSON.
func checkCrossEnvReads(compiler *ast.Compiler, user map[string]*ast.Module) error {
	reads := inputReads(compiler, slices.Collect(maps.Keys(user)), singlePlanPaths)
	return readsError(reads, func(inputRead) string {
		return "which lockstep's cross-environment input does not have (it has environments, resources, env, ...; see docs/input.md): " + SinglePlanHint
	})
}

// crossEnvHint ends the error about a --env-policy rule that reads
// lockstep's cross-environment document.
const crossEnvHint = "this looks like a cross-environment policy; load it with " + PolicyFlag

// userReads is what the user rules may read of the two parts of their
// input that cost most to build: the environments' documents (env) and
// the matched resources with their attributes (resources). What no rule
// can read is left empty (Document.value).
type userReads struct {
	env       envReads
	resources bool
}

// readsAll is everything: what --dump-input writes and Document.Value
// gives.
var readsAll = userReads{env: envReads{all: true}, resources: true}

// envReads is what rules may read of input.env: every environment's
// document, or those of the environments named.
type envReads struct {
	all   bool
	names map[string]bool
}

// any reports whether some environment's document may be read.
func (r envReads) any() bool { return r.all || len(r.names) > 0 }

// wants reports whether the document of environment name may be read.
func (r envReads) wants(name string) bool { return r.all || r.names[name] }

// readsEnv finds what the rules of modules may read of input.env: one
// environment through a reference that names it (input.env.production),
// every one through input.env itself or indexed by a variable, through
// input as a whole (bound, passed to a function, walked, printed) or
// input[k] with k not a string known before evaluation. The environments'
// documents are most of what a user rule's input costs (every resource of
// every environment made a map), and a policy that judges the matched
// resources never reads them; only this reading of the compiled rules,
// which errs towards every environment, spares them.
func readsEnv(modules map[string]*ast.Module) envReads {
	var reads envReads
	var visit func(t *ast.Term) bool
	visit = func(t *ast.Term) bool {
		if reads.all {
			return true
		}
		// The parser and the compiler make input, alone too, a reference.
		ref, ok := t.Value.(ast.Ref)
		if !ok || !ref[0].Equal(inputVar) {
			return false
		}
		switch key, ok := stringAt(ref, 1); {
		case !ok:
			reads.all = true
			return true
		case key == "env":
			name, ok := stringAt(ref, 2)
			if !ok {
				reads.all = true
				return true
			}
			if reads.names == nil {
				reads.names = map[string]bool{}
			}
			reads.names[name] = true
		}
		// The rest of the reference may index by another one.
		for _, e := range ref[2:] {
			ast.WalkTerms(e, visit)
		}
		return true
	}
	for _, m := range modules {
		ast.WalkTerms(m, visit)
	}
	return reads
}

// readsResources reports whether the rules of the user modules (the
// modules named in user) may read input.resources: through a reference to
// it, to input as a whole or to input[k] with k not a string known before
// evaluation (as readsEnv), in their own modules or in any module of the
// compiler they may reach through data: a built-in rule's result read from
// a user rule is evaluated over the user rules' input, and the built-in
// rules read the matched resources. A reference to data that is not a
// constant path (data[x]) reaches every module.
func readsResources(modules map[string]*ast.Module, user map[string]*ast.Module) bool {
	reads := false
	visited := map[*ast.Module]bool{}
	var queue []*ast.Module
	for name := range user {
		if m := modules[name]; m != nil {
			queue = append(queue, m)
		}
	}
	reach := func(ref ast.Ref) {
		for _, m := range modules {
			if !visited[m] && reachable(ref, m.Package.Path) {
				queue = append(queue, m)
			}
		}
	}
	var visit func(t *ast.Term) bool
	visit = func(t *ast.Term) bool {
		if reads {
			return true
		}
		ref, ok := t.Value.(ast.Ref)
		if !ok {
			return false
		}
		switch {
		case ref[0].Equal(inputVar):
			if key, ok := stringAt(ref, 1); !ok || key == "resources" {
				reads = true
				return true
			}
		case ref[0].Equal(ast.DefaultRootDocument):
			reach(ref)
		default:
			return false
		}
		for _, e := range ref[1:] {
			ast.WalkTerms(e, visit)
		}
		return true
	}
	for len(queue) > 0 && !reads {
		m := queue[0]
		queue = queue[1:]
		if visited[m] {
			continue
		}
		visited[m] = true
		ast.WalkTerms(m, visit)
	}
	return reads
}

// reachable reports whether a reference to data, ref, may read the rules
// of the package at path: its constant prefix and the package's path agree
// as far as both go (data.lockstep reaches every built-in package,
// data.lockstep.lib.f the lib, data.lockstep.constants none).
func reachable(ref, path ast.Ref) bool {
	for i := 1; i < len(ref) && i < len(path); i++ {
		key, ok := stringAt(ref, i)
		if !ok {
			return true // data[x]: any package
		}
		if p, _ := stringAt(path, i); p != key {
			return false
		}
	}
	return true
}

// stringAt returns ref's i-th term when it is a string.
func stringAt(ref ast.Ref, i int) (string, bool) {
	if i >= len(ref) {
		return "", false
	}
	s, ok := ref[i].Value.(ast.String)
	return string(s), ok
}

// inputVar is the head of every reference to input.
var inputVar = ast.InputRootRef[0]
