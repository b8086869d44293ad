package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/report"
)

// Evaluate runs every enabled rule that judges the facts over the input.
// The input is converted once and shared by all rules. Built-in rules run in
// parallel; then user rules, which may read the lazily converted `env` part
// of the input (or force the whole input), run one after another on a
// single goroutine (see Document.Value).
func (e *Engine) Evaluate(ctx context.Context, input ast.Value, s Settings) ([]report.Finding, error) {
	return e.evaluate(ctx, "", input, func() (ast.Value, error) { return input, nil }, s)
}

// EvaluateDocument is Evaluate over a document: the built-in rules read
// its compact BuiltinValue, and the whole Value is converted only when a
// user rule is enabled to read it, with the environments' documents and
// the matched resources only if a user rule may read them.
func (e *Engine) EvaluateDocument(ctx context.Context, d *Document, s Settings) ([]report.Finding, error) {
	input, err := d.BuiltinValue()
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, "", input, func() (ast.Value, error) { return d.value(e.userReads) }, s)
}

// EvaluateWaivers runs the waiver-stage rules over NewWaiverInput's document.
func (e *Engine) EvaluateWaivers(ctx context.Context, input ast.Value, s Settings) ([]report.Finding, error) {
	return e.evaluate(ctx, StageWaivers, input, func() (ast.Value, error) { return input, nil }, s)
}

// evaluate runs the stage's enabled rules: built-in ones over input, user
// ones over what userInput gives, called only when there is one to run.
func (e *Engine) evaluate(ctx context.Context, stage string, input ast.Value, userInput func() (ast.Value, error), s Settings) ([]report.Finding, error) {
	results := make([][]report.Finding, len(e.queries))
	errs := make([]error, len(e.queries))
	var envs map[string]bool
	var builtin, user []int
	for i, r := range e.rules {
		if r.Stage != stage || r.Scope == ScopeEnvironment || s[r.ID].Disabled {
			continue
		}
		if r.Builtin {
			builtin = append(builtin, i)
		} else {
			user = append(user, i)
		}
	}
	uinput := input
	if len(user) > 0 {
		var err error
		if uinput, err = userInput(); err != nil {
			return nil, err
		}
		envs = inputEnvironments(uinput)
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
				in := input
				if !e.rules[i].Builtin {
					in = uinput
				}
				if results[i], errs[i] = e.eval(ctx, i, in, envs); errs[i] != nil {
					return
				}
			}
		}()
	}
	// One rule's findings about many resources (a large plan that changes
	// one environment only) were one core's work while the other rules
	// had finished: a rule that judges each resource on its own judges
	// each share of them apart, and its findings are the shares' in their
	// order (collected below).
	shares := e.shares(stage, input)
	parts := map[int][][]report.Finding{}
	perrs := map[int][]error{}
	for _, i := range builtin {
		if len(shares) == 0 || !e.each[i] {
			run(i)
			continue
		}
		found, failed := make([][]report.Finding, len(shares)), make([]error, len(shares))
		parts[i], perrs[i] = found, failed
		for k, in := range shares {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				found[k], failed[k] = e.eval(ctx, i, in, envs)
			}()
		}
	}
	wg.Wait()
	for i, found := range parts {
		// The first share's error, as the rule would have stopped there:
		// one timeout, not one per share.
		if k := slices.IndexFunc(perrs[i], func(err error) bool { return err != nil }); k >= 0 {
			errs[i] = perrs[i][k]
			continue
		}
		results[i] = slices.Concat(found...)
	}
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

// shares splits a fact-stage input of splitAt or more resources into one
// input per core, each with a contiguous share of the resources and every
// other member as it is; nil when the input is not split.
func (e *Engine) shares(stage string, input ast.Value) []ast.Value {
	obj, ok := input.(ast.Object)
	n := runtime.GOMAXPROCS(0)
	if !ok || stage != "" || n < 2 {
		return nil
	}
	key := ast.InternedTerm("resources")
	t := obj.Get(key)
	if t == nil {
		return nil
	}
	all, ok := t.Value.(*ast.Array)
	if !ok || all.Len() < max(e.splitAt, 2) {
		return nil
	}
	n = min(n, all.Len())
	out := make([]ast.Value, n)
	for part := range n {
		share := ast.NewObject()
		obj.Foreach(func(name, v *ast.Term) {
			if !name.Equal(key) {
				share.Insert(name, v)
			}
		})
		// A copy of the share's terms, not all.Slice: a slice's array
		// would reach into the next share's.
		from, to := part*all.Len()/n, (part+1)*all.Len()/n
		terms := make([]*ast.Term, 0, to-from)
		for j := from; j < to; j++ {
			terms = append(terms, all.Elem(j))
		}
		share.Insert(key, ast.ArrayTerm(terms...))
		out[part] = share
	}
	return out
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
	return e.evalRule(ctx, i, input, envs, nil)
}

// evalRule evaluates rule i; redact, when set, hides secrets in the rule's
// print() output and trace, which can show any value of an input that
// lockstep has not redacted (a --env-policy rule's).
func (e *Engine) evalRule(ctx context.Context, i int, input ast.Value, envs map[string]bool, redact func(string) string) ([]report.Finding, error) {
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
			evalOpts = append(evalOpts, rego.EvalPrintHook(redactedPrint(e.print, redact)))
		}
		if e.opts.Trace != nil {
			tracer = topdown.NewBufferTracer()
			evalOpts = append(evalOpts, rego.EvalQueryTracer(tracer))
		}
	}
	rs, err := e.query(ctx, rule, e.queries[i], evalOpts...)
	if tracer != nil {
		fmt.Fprintf(e.opts.Trace, "trace of %s (%s.%s):\n", rule.ID, strings.TrimPrefix(rule.Package, "data."), rule.Name)
		writeTrace(e.opts.Trace, *tracer, redact)
	}
	if err != nil {
		return nil, err
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
			"%s must be a set of messages (%s contains msg if { ... }), not %s", rule.Name, rule.Name, jsonkind.Of(rs[0].Expressions[0].Value).Phrase())
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

// query runs one of rule's queries (the rule itself, or conftest's
// exception that names it): a user rule's under the memory watchdog, since
// built-in rules use memory in proportion to the input and a user rule can
// ask for any amount; and it words what stopped it, naming the rule.
func (e *Engine) query(ctx context.Context, rule Rule, q rego.PreparedEvalQuery, opts ...rego.EvalOption) (rego.ResultSet, error) {
	if !rule.Builtin {
		var stop func()
		ctx, stop = watchMemory(ctx, e.opts.MaxMemory)
		defer stop()
	}
	rs, err := q.Eval(ctx, opts...)
	if err == nil {
		return rs, nil
	}
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

// validSeverity is report.ParseSeverity for a severity already typed (as
// decoding a finding types it).
func validSeverity(s report.Severity) bool {
	_, err := report.ParseSeverity(string(s))
	return err == nil
}
