package policy

import (
	"context"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/lockstep-iac/lockstep/report"
)

// ScopeEnvironment is the Scope of a --env-policy rule: written for one
// plan or state, as conftest runs it, and evaluated once per environment
// with that environment's document as Terraform wrote it.
const ScopeEnvironment = report.ScopeEnvironment

// envRuleName is conftest's: deny and violation fail, warn warns, each
// alone or with _suffixes (deny_public_bucket).
var envRuleName = regexp.MustCompile(`^(deny|violation|warn)(_[a-zA-Z0-9]+)*$`)

// DefaultNamespace is the package conftest evaluates when no --namespace
// is given.
const DefaultNamespace = "main"

// envPolicies are the --env-policy rules' own parts: they compile apart
// from lockstep's rules and the --policy ones (both may be package main),
// with their own data documents.
type envPolicies struct {
	// exceptions holds, by index into Engine.rules, the prepared query of
	// conftest's exception for the rule, when its package has one.
	exceptions map[int]exceptionQuery
	// resources are the reads of input.resources, which only raw state
	// among Terraform's documents has.
	resources []inputRead
}

// exceptionQuery is conftest's `data.<package>.exception[_][_] == "<name>"`.
type exceptionQuery struct {
	text  string
	query rego.PreparedEvalQuery
}

// addEnvRules compiles the --env-policy directories and prepares a query
// for every deny/violation/warn rule in the namespaces selected.
func (e *Engine) addEnvRules(ctx context.Context, builtinIDs map[string]bool) error {
	selected, err := namespaceFilter(e.opts.Namespaces, e.opts.AllNamespaces)
	if err != nil {
		return err
	}
	mods, docs, err := loadDirs(EnvPolicyFlag, e.opts.EnvPolicyDirs, false)
	if err != nil {
		return err
	}
	compiler := ast.NewCompiler().
		WithCapabilities(Capabilities(e.opts.AllowNet)).
		WithEnablePrintStatements(e.opts.Print != nil)
	if compiler.Compile(mods); compiler.Failed() {
		return newError("", compiler.Errors)
	}
	names := slices.Collect(maps.Keys(mods))
	if err := readsError(inputReads(compiler, names, crossEnvPaths[:1]), func(inputRead) string {
		return "which only lockstep's cross-environment input has, not Terraform's plan or state JSON: " + crossEnvHint
	}); err != nil {
		return err
	}
	e.env = &envPolicies{exceptions: map[int]exceptionQuery{}, resources: inputReads(compiler, names, crossEnvPaths[1:])}
	rules, err := selectRules(mods, builtinIDs, selected, envRuleName)
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		return &Error{Err: fmt.Errorf("%s %s: no deny, violation or warn rule in %s; rules are evaluated in package %s unless --namespace or --all-namespaces says otherwise",
			EnvPolicyFlag, strings.Join(e.opts.EnvPolicyDirs, ", "), namespacesText(e.opts), DefaultNamespace)}
	}
	store := inmem.NewFromObject(docs)
	prepare := func(rule Rule, query string) (rego.PreparedEvalQuery, error) {
		pq, err := rego.New(rego.Query(query), rego.Compiler(compiler), rego.Store(store), rego.StrictBuiltinErrors(true)).PrepareForEval(ctx)
		if err != nil {
			return pq, newError(rule.ID, err)
		}
		return pq, nil
	}
	for _, r := range rules {
		r.Scope = ScopeEnvironment
		pq, err := prepare(r, r.Package+"."+r.Name)
		if err != nil {
			return err
		}
		if len(compiler.GetRulesExact(ast.MustParseRef(r.Package+".exception"))) > 0 {
			text := fmt.Sprintf("%s.exception[_][_] == %q", r.Package, exceptionName(r.Name))
			eq, err := prepare(r, text)
			if err != nil {
				return err
			}
			e.env.exceptions[len(e.rules)] = exceptionQuery{text: text, query: eq}
		}
		e.rules = append(e.rules, r)
		e.queries = append(e.queries, pq)
	}
	return nil
}

// namespaceFilter is conftest's choice of packages: --all-namespaces, or
// those matching a --namespace (a glob of *, ? and [...], where "." is an
// ordinary character), main when none is given.
func namespaceFilter(patterns []string, all bool) (func(pkg string) bool, error) {
	if len(patterns) == 0 {
		patterns = []string{DefaultNamespace}
	}
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return nil, &Error{Err: fmt.Errorf("--namespace %q: not a valid pattern (%v); give a package name such as main or a glob such as main.*", p, err)}
		}
	}
	return func(pkg string) bool {
		if all {
			return true
		}
		name := strings.TrimPrefix(pkg, "data.")
		for _, p := range patterns {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
		return false
	}, nil
}

func namespacesText(o Options) string {
	if o.AllNamespaces {
		return "any package"
	}
	if len(o.Namespaces) == 0 {
		return "package " + DefaultNamespace
	}
	return "the namespaces " + strings.Join(o.Namespaces, ", ")
}

// exceptionName is the name conftest looks for in exception sets: the
// rule's name without its deny_, violation_ or warn_ prefix ("" for a bare
// deny).
func exceptionName(rule string) string {
	if rule == "deny" || rule == "violation" || rule == "warn" {
		return ""
	}
	for _, p := range []string{"violation_", "deny_", "warn_"} {
		rule = strings.TrimPrefix(rule, p)
	}
	return rule
}

// HasEnvRules reports whether any --env-policy rule was loaded: only then
// does a check read each environment's document as written.
func (e *Engine) HasEnvRules() bool { return e.env != nil }

// EnvInput is one environment as the --env-policy rules see it.
type EnvInput struct {
	Name string
	// Kind is the input's kind: plan, state or raw-state.
	Kind string
	// Document is the input as Terraform wrote it, as an OPA value (lazy:
	// converted as far as rules read it).
	Document ast.Value
	// Redact hides the run's secrets in a text the rules made; the
	// document is not redacted, so nil is allowed only without secrets.
	Redact func(string) string
}

// EvaluateEnv runs every enabled --env-policy rule over one environment,
// one after another (Document may be lazy, which is not safe for
// concurrent use). Findings name the environment and have every text
// redacted. A rule whose package has an exception naming it is not
// counted: as conftest does, each way the exception names it is one
// finding, waived by the exception.
func (e *Engine) EvaluateEnv(ctx context.Context, in EnvInput, s Settings) ([]report.Finding, error) {
	if e.env == nil {
		return nil, nil
	}
	if in.Kind != "raw-state" {
		if err := readsError(e.env.resources, func(inputRead) string {
			return fmt.Sprintf("which environment %s's %s JSON does not have (only raw state and lockstep's cross-environment input do): %s", in.Name, in.Kind, crossEnvHint)
		}); err != nil {
			return nil, err
		}
	}
	redact := in.Redact
	if redact == nil {
		redact = func(s string) string { return s }
	}
	envs := map[string]bool{in.Name: true}
	var out []report.Finding
	for i, r := range e.rules {
		if r.Scope != ScopeEnvironment || s[r.ID].Disabled {
			continue
		}
		excepted := 0
		ex, hasException := e.env.exceptions[i]
		if hasException {
			rs, err := e.query(ctx, r, ex.query, rego.EvalParsedInput(in.Document))
			if err != nil {
				return nil, err
			}
			excepted = len(rs)
		}
		fs, err := e.evalRule(ctx, i, in.Document, envs, redact)
		if err != nil {
			return nil, err
		}
		if excepted > 0 {
			fs = fs[:0]
			for range excepted {
				fs = append(fs, report.Finding{Rule: r.ID, Severity: r.Severity, Message: "exception: " + ex.text,
					Waived: true, Waiver: &report.Waiver{Name: "exception", Reason: fmt.Sprintf("%s names %s in its exception rule, as conftest excepts rules", strings.TrimPrefix(r.Package, "data."), r.Name)}})
			}
		}
		for _, f := range fs {
			if len(f.Environments) == 0 {
				f.Environments = []string{in.Name}
			}
			if sev := s[f.Rule].Severity; sev != "" {
				f.Severity = sev
			}
			if err := redactFinding(&f, redact); err != nil {
				return nil, &Error{Rule: r.ID, Err: err}
			}
			out = append(out, f)
		}
	}
	return out, nil
}
