// Package policy judges parity facts with Rego. It compiles the built-in
// rules once, prepares one query per rule, converts the facts to an OPA
// value once, and evaluates the rules in parallel; then it applies waivers.
// Rego sees only the compact facts that the parity package computed, never
// raw plans, which is what keeps a 10k-resource check fast.
package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/rules"
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
	Stage   string `json:"stage,omitempty"`
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
	opts    Options
	print   *printHook
}

// New compiles the built-in rules, and the user policies opts names, in one
// compiler (so user policies can import data.lockstep.lib), and prepares one
// query per rule.
func New(ctx context.Context, opts Options) (*Engine, error) {
	modules, err := BuiltinModules()
	if err != nil {
		return nil, &Error{Err: err}
	}
	user, docs, err := Load(opts.PolicyDirs, false)
	if err != nil {
		return nil, err
	}
	all := make(map[string]*ast.Module, len(modules)+len(user))
	for name, m := range modules {
		all[name] = m
	}
	for name, m := range user {
		if _, clash := all[name]; clash {
			return nil, &Error{Err: fmt.Errorf("%s: a policy file has the same name as a built-in rule file", name)}
		}
		all[name] = m
	}
	compiler := ast.NewCompiler().
		WithCapabilities(Capabilities(opts.AllowNet)).
		WithEnablePrintStatements(opts.Print != nil)
	if compiler.Compile(all); compiler.Failed() {
		return nil, newError("", compiler.Errors)
	}
	store := inmem.NewFromObject(docs)
	e := &Engine{opts: opts}
	if opts.Print != nil {
		e.print = &printHook{w: opts.Print}
	}
	prepare := func(r Rule, query string) error {
		pq, err := rego.New(
			rego.Query(query),
			rego.Compiler(compiler),
			rego.Store(store),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return newError(r.ID, err)
		}
		e.rules = append(e.rules, r)
		e.queries = append(e.queries, pq)
		return nil
	}
	builtinIDs := map[string]bool{}
	for _, file := range sortedKeys(modules) {
		m := modules[file]
		if !strings.HasPrefix(m.Package.Path.String(), "data.lockstep.rules.") {
			continue
		}
		r, err := ruleMeta(file, m)
		if err != nil {
			return nil, &Error{Err: err}
		}
		r.Builtin = true
		builtinIDs[r.ID] = true
		if err := prepare(r, m.Package.Path.String()+".findings"); err != nil {
			return nil, err
		}
	}
	urs, err := userRules(user, builtinIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range urs {
		if err := prepare(r, r.Package+"."+r.Name); err != nil {
			return nil, err
		}
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

// BuiltinModules parses the built-in rules and lib (tests excluded), keyed
// by their path under rules/; `lockstep test` loads them beside user tests.
func BuiltinModules() (map[string]*ast.Module, error) {
	return loadModules(rules.FS)
}

func loadModules(fsys fs.FS) (map[string]*ast.Module, error) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[path] = m
		return nil
	})
	return modules, err
}

func ruleMeta(file string, m *ast.Module) (Rule, error) {
	for _, a := range m.Annotations {
		if a.Scope != "package" {
			continue
		}
		r := Rule{Title: a.Title, Description: strings.TrimSpace(a.Description), Package: m.Package.Path.String(), File: file}
		r.ID = builtinID(r.Package)
		if id, ok := a.Custom["id"]; ok && id != r.ID {
			return r, fmt.Errorf("%s: custom.id %v disagrees with the id %q that package %s gives; a built-in rule's id is its package's last name with - for _: remove custom.id",
				file, id, r.ID, strings.TrimPrefix(r.Package, "data."))
		}
		severity, _ := a.Custom["severity"].(string)
		r.Stage, _ = a.Custom["stage"].(string)
		if r.Stage != "" && r.Stage != StageWaivers {
			return r, fmt.Errorf("%s: custom.stage must be absent or %q, not %q", file, StageWaivers, r.Stage)
		}
		if rem, ok := a.Custom["remediation"].(string); ok {
			r.Remediation = strings.TrimSpace(rem)
		}
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" {
			return r, fmt.Errorf("%s: package METADATA needs title, description and custom.remediation", file)
		}
		var err error
		if r.Severity, err = report.ParseSeverity(severity); err != nil {
			return r, fmt.Errorf("%s: custom.severity must be error or warning, not %q", file, severity)
		}
		return r, nil
	}
	return Rule{}, fmt.Errorf("%s: no package-scope # METADATA", file)
}

// builtinID derives a built-in rule's id from its package, as regal does:
// data.lockstep.rules.one_sided_change is one-sided-change. The package (and
// its directory, which must match it) is then the one place the id is
// written; lib.rule_id derives it the same way for the findings' rule field.
func builtinID(pkg string) string {
	return strings.ReplaceAll(pkg[strings.LastIndexByte(pkg, '.')+1:], "_", "-")
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

// Evaluate runs every enabled rule that judges the facts over the input.
// The input is converted once and shared by all rules. Built-in rules run in
// parallel; then user rules, which may read the lazily converted `env` part
// of the input (or force the whole input), run one after another on a
// single goroutine (see Document.Value).
func (e *Engine) Evaluate(ctx context.Context, input ast.Value, s Settings) ([]report.Finding, error) {
	return e.evaluate(ctx, "", input, s)
}

// EvaluateWaivers runs the waiver-stage rules over NewWaiverInput's document.
func (e *Engine) EvaluateWaivers(ctx context.Context, input ast.Value, s Settings) ([]report.Finding, error) {
	return e.evaluate(ctx, StageWaivers, input, s)
}

func (e *Engine) evaluate(ctx context.Context, stage string, input ast.Value, s Settings) ([]report.Finding, error) {
	results := make([][]report.Finding, len(e.queries))
	errs := make([]error, len(e.queries))
	var envs map[string]bool
	var builtin, user []int
	for i, r := range e.rules {
		if r.Stage != stage || s[r.ID].Disabled {
			continue
		}
		if r.Builtin {
			builtin = append(builtin, i)
		} else {
			user = append(user, i)
		}
	}
	if len(user) > 0 {
		envs = inputEnvironments(input)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	run := func(idx ...int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			for _, i := range idx {
				if results[i], errs[i] = e.eval(ctx, i, input, envs); errs[i] != nil {
					return
				}
			}
		}()
	}
	for _, i := range builtin {
		run(i)
	}
	wg.Wait()
	if len(user) > 0 {
		run(user...)
		wg.Wait()
	}
	var out []report.Finding
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		for _, f := range results[i] {
			if sev := s[f.Rule].Severity; sev != "" {
				f.Severity = sev
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// inputEnvironments is the set of environment names in a fact-stage or
// waiver-stage input, against which user findings' environments are checked.
func inputEnvironments(input ast.Value) map[string]bool {
	out := map[string]bool{}
	obj, ok := input.(ast.Object)
	if !ok {
		return out
	}
	if t := obj.Get(ast.InternedTerm("environments")); t != nil {
		if arr, ok := t.Value.(*ast.Array); ok {
			arr.Foreach(func(t *ast.Term) {
				if s, ok := t.Value.(ast.String); ok {
					out[string(s)] = true
				}
			})
		}
	}
	return out
}

func (e *Engine) eval(ctx context.Context, i int, input ast.Value, envs map[string]bool) ([]report.Finding, error) {
	rule := e.rules[i]
	if ctx.Err() != nil {
		// Out of time before this rule began: name it rather than let
		// OPA notice the deadline, or not, depending on scheduling.
		return nil, &Error{Rule: rule.ID, Err: &TimeoutError{Rule: rule, Err: ctx.Err()}}
	}
	evalOpts := []rego.EvalOption{rego.EvalParsedInput(input)}
	var tracer *topdown.BufferTracer
	if !rule.Builtin {
		if e.print != nil {
			evalOpts = append(evalOpts, rego.EvalPrintHook(e.print))
		}
		if e.opts.Trace != nil {
			tracer = topdown.NewBufferTracer()
			evalOpts = append(evalOpts, rego.EvalQueryTracer(tracer))
		}
	}
	if !rule.Builtin {
		// Built-in rules use memory in proportion to the input; a user
		// rule can ask for any amount.
		var stop func()
		ctx, stop = watchMemory(ctx, e.opts.MaxMemory)
		defer stop()
	}
	rs, err := e.queries[i].Eval(ctx, evalOpts...)
	if tracer != nil {
		fmt.Fprintf(e.opts.Trace, "trace of %s (%s.%s):\n", rule.ID, strings.TrimPrefix(rule.Package, "data."), rule.Name)
		topdown.PrettyTraceWithLocation(e.opts.Trace, *tracer)
	}
	if err != nil {
		if errors.Is(context.Cause(ctx), errMemory) {
			limit := e.opts.MaxMemory
			if limit == 0 {
				limit = DefaultMaxMemory
			}
			return nil, &Error{Rule: rule.ID, Err: &MemoryError{Rule: rule, Limit: limit}}
		}
		if ctx.Err() != nil || topdown.IsCancel(err) {
			return nil, &Error{Rule: rule.ID, Err: &TimeoutError{Rule: rule, Err: err}}
		}
		return nil, newError(rule.ID, err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil
	}
	raw, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		if rule.Builtin {
			return nil, &Error{Rule: rule.ID, Err: fmt.Errorf("findings must be a set, got %T", rs[0].Expressions[0].Value)}
		}
		return nil, errorAt(rule.ID, &ast.Location{File: rule.File, Row: rule.Line, Col: rule.Column},
			"%s must be a set of messages (%s contains msg if { ... }), not a %s", rule.Name, rule.Name, jsonType(rs[0].Expressions[0].Value))
	}
	out := make([]report.Finding, 0, len(raw))
	for _, v := range raw {
		var f report.Finding
		if rule.Builtin {
			f, err = decodeFinding(v)
			if err != nil {
				err = &Error{Rule: rule.ID, Err: err}
			}
		} else {
			f, err = decodeUserFinding(rule, v, envs)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// TimeoutError is an evaluation stopped by --policy-timeout.
type TimeoutError struct {
	Rule Rule
	Err  error
}

func (t *TimeoutError) Error() string {
	if t.Rule.Builtin {
		// Nothing for the user to fix in lockstep's own rules: they are
		// linear in the input, which is then simply large.
		return fmt.Sprintf("evaluation of the built-in rule %s did not finish within --policy-timeout; the input is too large to judge in that time: raise --policy-timeout (for example --policy-timeout 5m)", t.Rule.ID)
	}
	return fmt.Sprintf("evaluation of %s at %s:%d:%d did not finish within --policy-timeout; fix the policy (a loop over every pair of resources is the usual cause) or raise --policy-timeout", t.Rule.ID, t.Rule.File, t.Rule.Line, t.Rule.Column)
}

func (t *TimeoutError) Unwrap() error { return t.Err }

// printHook writes print() output with the file:line of the call.
type printHook struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printHook) Print(ctx print.Context, msg string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ctx.Location != nil {
		_, err := fmt.Fprintf(p.w, "%s:%d: %s\n", ctx.Location.File, ctx.Location.Row, msg)
		return err
	}
	_, err := fmt.Fprintln(p.w, msg)
	return err
}

func decodeFinding(v any) (report.Finding, error) {
	var f report.Finding
	b, err := json.Marshal(v)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("finding has the wrong shape: %v", err)
	}
	switch {
	case f.Rule == "":
		return f, fmt.Errorf("finding has no rule id")
	case !validSeverity(f.Severity):
		return f, fmt.Errorf("finding severity must be error or warning, not %q", f.Severity)
	case f.Message == "":
		return f, fmt.Errorf("finding has no message")
	}
	if f.Environments == nil {
		f.Environments = []string{}
	}
	return f, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validSeverity is report.ParseSeverity for a severity already typed (as
// decoding a finding types it).
func validSeverity(s report.Severity) bool {
	_, err := report.ParseSeverity(string(s))
	return err == nil
}
