// Package policy judges parity facts with Rego. It compiles the built-in
// rules once, prepares one query per rule, converts the facts to an OPA
// value once, and evaluates the rules in parallel; then it applies waivers.
// Rego sees only the compact facts that the parity package computed, never
// raw plans, which is what keeps a 10k-resource check fast.
package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/rules"
)

// Rule is a built-in rule's METADATA.
type Rule struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
	Remediation string `json:"remediation"`
	// Stage is "" for rules that judge the facts, or "waivers" for rules
	// that judge lockstep.hcl's waivers once the other findings are waived.
	Stage   string `json:"stage,omitempty"`
	Package string `json:"package"`
	File    string `json:"file"`
}

// Engine holds the prepared rule queries.
type Engine struct {
	rules   []Rule
	queries []rego.PreparedEvalQuery
}

// Error is a policy problem: a rule that does not compile or evaluate, or a
// finding of the wrong shape. It is a tool error (exit 2), never a pass.
type Error struct {
	Rule string
	Err  error
}

func (e *Error) Error() string {
	if e.Rule == "" {
		return "policy: " + e.Err.Error()
	}
	return fmt.Sprintf("policy %s: %v", e.Rule, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// New compiles the built-in rules and prepares their queries.
func New(ctx context.Context) (*Engine, error) {
	modules, err := loadModules(rules.FS)
	if err != nil {
		return nil, &Error{Err: err}
	}
	compiler := ast.NewCompiler().WithEnablePrintStatements(false)
	if compiler.Compile(modules); compiler.Failed() {
		return nil, &Error{Err: compiler.Errors}
	}
	e := &Engine{}
	for _, file := range sortedKeys(modules) {
		m := modules[file]
		if !strings.HasPrefix(m.Package.Path.String(), "data.lockstep.rules.") {
			continue
		}
		r, err := ruleMeta(file, m)
		if err != nil {
			return nil, &Error{Err: err}
		}
		pq, err := rego.New(
			rego.Query(m.Package.Path.String()+".findings"),
			rego.Compiler(compiler),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, &Error{Rule: r.ID, Err: err}
		}
		e.rules = append(e.rules, r)
		e.queries = append(e.queries, pq)
	}
	return e, nil
}

// Rules lists the built-in rules, sorted by id.
func (e *Engine) Rules() []Rule {
	out := append([]Rule(nil), e.rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
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
		r.ID, _ = a.Custom["id"].(string)
		r.Severity, _ = a.Custom["severity"].(string)
		r.Stage, _ = a.Custom["stage"].(string)
		if r.Stage != "" && r.Stage != StageWaivers {
			return r, fmt.Errorf("%s: custom.stage must be absent or %q, not %q", file, StageWaivers, r.Stage)
		}
		if rem, ok := a.Custom["remediation"].(string); ok {
			r.Remediation = strings.TrimSpace(rem)
		}
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" {
			return r, fmt.Errorf("%s: package METADATA needs title, description, custom.id and custom.remediation", file)
		}
		if r.Severity != report.SeverityError && r.Severity != report.SeverityWarning {
			return r, fmt.Errorf("%s: custom.severity must be error or warning, not %q", file, r.Severity)
		}
		return r, nil
	}
	return Rule{}, fmt.Errorf("%s: no package-scope # METADATA", file)
}

// StageWaivers marks rules that judge the waivers (custom.stage in METADATA).
const StageWaivers = "waivers"

// Evaluate runs every rule that judges the facts over the input. The input
// is converted once and shared by all rules.
func (e *Engine) Evaluate(ctx context.Context, input ast.Value) ([]report.Finding, error) {
	return e.evaluate(ctx, "", input)
}

// EvaluateWaivers runs the waiver-stage rules over NewWaiverInput's document.
func (e *Engine) EvaluateWaivers(ctx context.Context, input ast.Value) ([]report.Finding, error) {
	return e.evaluate(ctx, StageWaivers, input)
}

func (e *Engine) evaluate(ctx context.Context, stage string, input ast.Value) ([]report.Finding, error) {
	results := make([][]report.Finding, len(e.queries))
	errs := make([]error, len(e.queries))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range e.queries {
		if e.rules[i].Stage != stage {
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = e.eval(ctx, i, input)
		}(i)
	}
	wg.Wait()
	var out []report.Finding
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		out = append(out, results[i]...)
	}
	return out, nil
}

func (e *Engine) eval(ctx context.Context, i int, input ast.Value) ([]report.Finding, error) {
	rule := e.rules[i]
	rs, err := e.queries[i].Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, &Error{Rule: rule.ID, Err: err}
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil
	}
	raw, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, &Error{Rule: rule.ID, Err: fmt.Errorf("findings must be a set, got %T", rs[0].Expressions[0].Value)}
	}
	out := make([]report.Finding, 0, len(raw))
	for _, v := range raw {
		f, err := decodeFinding(v)
		if err != nil {
			return nil, &Error{Rule: rule.ID, Err: err}
		}
		out = append(out, f)
	}
	return out, nil
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
	case f.Severity != report.SeverityError && f.Severity != report.SeverityWarning:
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
