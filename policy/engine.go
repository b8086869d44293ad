// Package policy judges parity facts with Rego. It compiles the built-in
// rules once, prepares one query per rule, converts the facts to an OPA
// value once, and evaluates the rules in parallel; then it applies waivers.
// Rego sees only the compact facts that the parity package computed, never
// raw plans, which is what keeps a 10k-resource check fast.
package policy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/report"
)

// Rule is one rule's metadata: a built-in rule's package METADATA, or a
// user rule's (deny, violation, warn...) from its METADATA and defaults.
type Rule struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Severity    report.Severity `json:"severity"`
	Description string          `json:"description"`
	Remediation string          `json:"remediation"`
	// HelpURI is the first METADATA related_resources entry of a user
	// rule: where its documentation lives. Built-in rules leave it empty;
	// their documentation is docs/rules.md.
	HelpURI string `json:"help_uri,omitempty"`
	// Stage is "" for rules that judge the facts, or "waivers" for rules
	// that judge lockstep.hcl's waivers once the other findings are waived.
	Stage string `json:"stage,omitempty"`
	// Scope is "" for rules that read lockstep's cross-environment input,
	// ScopeEnvironment for --env-policy rules, which read one
	// environment's plan or state as Terraform wrote it.
	Scope   string `json:"scope,omitempty"`
	Package string `json:"package"`
	File    string `json:"file"`
	// Builtin is true for the rules shipped inside lockstep.
	Builtin bool `json:"builtin"`
	// Name, Line and Column locate a user rule (deny_db_parity, ...).
	Name   string `json:"name,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// Options configure the engine.
type Options struct {
	// PolicyDirs are --policy directories (or .rego files) of user rules
	// and data documents.
	PolicyDirs []string
	// EnvPolicyDirs are --env-policy directories (or .rego files):
	// conftest's policies, written for one plan or state and evaluated once
	// per environment (ScopeEnvironment), with their data documents.
	EnvPolicyDirs []string
	// Namespaces are the packages of EnvPolicyDirs whose rules are
	// evaluated, names or globs (conftest's --namespace); none means main.
	// AllNamespaces evaluates every package (--all-namespaces).
	Namespaces    []string
	AllNamespaces bool
	// Print receives print() output from user policies, one line per call
	// prefixed with file:line; nil compiles print() out.
	Print io.Writer
	// Trace receives OPA's evaluation trace of every user rule; nil
	// disables tracing.
	Trace io.Writer
	// AllowNet gives user policies the built-ins in Denied
	// (--policy-allow-net).
	AllowNet bool
	// MaxMemory bounds the heap a user rule's evaluation may grow by;
	// zero means DefaultMaxMemory, negative no bound.
	MaxMemory int64
}

// Engine holds the prepared rule queries.
type Engine struct {
	rules   []Rule
	queries []rego.PreparedEvalQuery
	// each marks the built-in rules that read input.resources, by their
	// index in rules, where they come first (user and --env-policy rules
	// follow, and each has no entry for them). Such a
	// rule judges each matched resource on its own, with the input's other
	// members (the built-in input leaves out the resources no rule can
	// judge on that assumption, see judged): its findings over a share of
	// the resources are its findings about those, and a large input's
	// resources are judged in shares side by side (evaluate).
	each []bool
	// splitAt is the fewest judged resources evaluate splits
	// (minSplitResources, as their conversion). Tests lower it.
	splitAt int
	opts    Options
	print   *printHook
	env     *envPolicies
	// notices are Notices.
	notices []string
	// userReads is what the user rules may read of input.env (readsEnv)
	// and input.resources (readsResources): the environments' documents
	// and the matched resources no rule reads are never built.
	userReads userReads
}

// checkStages are the compiler's stages that only look for mistakes in
// the rules and change nothing of what they compile to (the safety checks,
// which also reorder each body, are not among them). The built-in rules
// have none: TestBuiltinRulesPassEveryCheck compiles them with every
// stage, strictly, and TestEngineOnAnyCores compares their findings with
// and without these stages. So a compile of the built-in rules alone skips
// them, a seventh of it (the type checker most); user policies are
// compiled with every stage, and their mistakes reported as OPA words them.
var checkStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// New compiles the built-in rules, and the user policies opts names, in one
// compiler (so user policies can import data.lockstep.lib), or, without
// user policies, the built-in rules split over the cores (compileUnits);
// and it prepares one query per rule.
func New(ctx context.Context, opts Options) (*Engine, error) {
	modules, err := BuiltinModules()
	if err != nil {
		return nil, &Error{Err: err}
	}
	user, docs, err := Load(opts.PolicyDirs, false)
	if err != nil {
		return nil, err
	}
	for name := range user {
		if _, clash := modules[name]; clash {
			return nil, &Error{Err: fmt.Errorf("%s: a policy file has the same name as a built-in rule file", name)}
		}
	}
	units := compileUnits(modules, user, runtime.GOMAXPROCS(0))
	store := inmem.NewFromObject(docs)
	e := &Engine{opts: opts, splitAt: minSplitResources}
	if opts.Print != nil {
		e.print = &printHook{w: opts.Print}
	}
	prepare := func(compiler *ast.Compiler, query string) (rego.PreparedEvalQuery, error) {
		return rego.New(
			rego.Query(query),
			rego.Compiler(compiler),
			rego.Store(store),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
	}
	// Each unit is compiled, and its built-in rules' queries prepared, on a
	// core of its own; a compiler and its queries stay with one goroutine.
	files := slices.Sorted(maps.Keys(modules))
	type prepared struct {
		rule Rule
		pq   rego.PreparedEvalQuery
		// each: the rule reads input.resources (see Engine.each)
		each bool
		err  error
	}
	results := make([]prepared, len(files))
	compilers := make([]*ast.Compiler, len(units))
	parallel.Each(len(units), func(u int) {
		compiler := ast.NewCompiler().
			WithCapabilities(Capabilities(opts.AllowNet)).
			WithEnablePrintStatements(opts.Print != nil)
		if len(user) == 0 {
			compiler = compiler.WithSkipStages(checkStages...)
		}
		compilers[u] = compiler
		if compiler.Compile(units[u]); compiler.Failed() {
			return
		}
		for i, file := range files {
			m := units[u][file]
			if m == nil || !isRuleModule(m) {
				continue
			}
			r, err := ruleMeta(file, m)
			if err != nil {
				results[i] = prepared{err: &Error{Err: err}}
				continue
			}
			r.Builtin = true
			pq, err := prepare(compiler, m.Package.Path.String()+".findings")
			if err != nil {
				err = newError(r.ID, err)
			}
			each := r.Stage == "" && len(inputReads(compiler, []string{file}, []string{"resources"})) > 0
			results[i] = prepared{rule: r, pq: pq, each: each, err: err}
		}
	})
	for _, compiler := range compilers {
		if compiler.Failed() {
			return nil, newError("", compiler.Errors)
		}
	}
	// With user policies there is one unit, whose compiler holds them.
	compiler := compilers[0]
	if err := checkCrossEnvReads(compiler, user); err != nil {
		return nil, err
	}
	builtinIDs := map[string]bool{}
	for i, file := range files {
		if !isRuleModule(modules[file]) {
			continue
		}
		res := results[i]
		if res.err != nil {
			return nil, res.err
		}
		builtinIDs[res.rule.ID] = true
		e.rules = append(e.rules, res.rule)
		e.queries = append(e.queries, res.pq)
		e.each = append(e.each, res.each)
	}
	urs, err := userRules(user, builtinIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range urs {
		pq, err := prepare(compiler, r.Package+"."+r.Name)
		if err != nil {
			return nil, newError(r.ID, err)
		}
		e.rules = append(e.rules, r)
		e.queries = append(e.queries, pq)
	}
	if len(urs) > 0 {
		e.userReads = userReads{env: readsEnv(compiler.Modules), resources: readsResources(compiler.Modules, user)}
	}
	e.notices = emptyDirNotices(opts.PolicyDirs, user, urs)
	switch {
	case len(opts.EnvPolicyDirs) > 0:
		if err := e.addEnvRules(ctx, builtinIDs); err != nil {
			return nil, err
		}
	case len(opts.Namespaces) > 0 || opts.AllNamespaces:
		return nil, &Error{Err: fmt.Errorf("--namespace and --all-namespaces choose among %s rules; give %s DIR too (or an env_policy block in lockstep.hcl)", EnvPolicyFlag, EnvPolicyFlag)}
	}
	return e, nil
}

// Rules lists every rule, built-in and user, sorted by id.
func (e *Engine) Rules() []Rule {
	out := append([]Rule(nil), e.rules...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs lists the distinct rule ids; stage filters them ("" for the rules
// that judge the facts, StageWaivers for the waiver-stage ones, "*" for all).
func (e *Engine) IDs(stage string) []string {
	seen := map[string]bool{}
	var ids []string
	for _, r := range e.rules {
		if (stage == "*" || r.Stage == stage) && !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// StageWaivers marks rules that judge the waivers (custom.stage in METADATA).
const StageWaivers = "waivers"

// Setting is lockstep.hcl's `rule "id" { ... }` for one rule id.
type Setting struct {
	Disabled bool
	// Severity overrides the rule's severity; "" keeps it.
	Severity report.Severity
}

// Settings maps rule ids to their settings.
type Settings map[string]Setting
