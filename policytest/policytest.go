// Package policytest runs the unit tests of users' Rego policies for
// `lockstep test`: OPA's test runner over *_test.rego, with lockstep's
// built-in rules and lib loaded beside the user's files and one extra
// built-in, lockstep.input_from, that builds the real input document from
// plan and state fixtures. Testing against what lockstep actually produces
// from Terraform's output, rather than hand-written JSON, is what keeps a
// policy honest when the input document or the fixtures change.
package policytest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/policy"
)

// Options configure a test run.
type Options struct {
	// Dirs are the directories holding policies, their tests and data
	// documents, or *_test.rego files, whose tests run with the policies
	// of their directory. None means the current directory.
	Dirs []string
	// EnvDirs are the same for per-environment policies (check's
	// --env-policy): compiled apart from lockstep's rules and lib, and
	// tested as conftest's verify tests them, `with input as` a plan or
	// state document.
	EnvDirs []string
	// Run, when set, runs only tests whose name matches this regular
	// expression (as `opa test --run`).
	Run string
	// Timeout bounds each test; zero means 30s.
	Timeout time.Duration
	// Verbose prints print() output of passing tests too.
	Verbose bool
	// AllowNet gives policies and tests the built-ins that reach the
	// network or the host's files (policy.Denied), as check's
	// --policy-allow-net does.
	AllowNet bool
	// MaxMemory bounds how much the tests may grow the heap, as check's
	// --policy-max-memory: zero means policy.DefaultMaxMemory, negative no
	// bound. Over it, the run stops with an error.
	MaxMemory int64
}

// Summary counts the results.
type Summary struct {
	Passed, Failed, Errors, Skipped int
}

// Bad reports whether any test failed or errored.
func (s Summary) Bad() bool { return s.Failed+s.Errors > 0 }

// Run runs the tests and writes one line per test and a summary line to w.
// An error return is a tool error (the policies do not load or compile, or
// there are no tests); test failures are in the Summary.
func Run(ctx context.Context, w io.Writer, opts Options) (Summary, error) {
	var sum Summary
	var results []*tester.Result
	if len(opts.Dirs) > 0 || len(opts.EnvDirs) == 0 {
		dirs, only, err := resolveArgs(opts.Dirs)
		if err != nil {
			return sum, err
		}
		opts.Dirs = dirs
		// The policies must also load as `check --policy` loads them: a
		// test run that passes on policies check would reject is false
		// comfort.
		if _, err := policy.New(ctx, policy.Options{PolicyDirs: opts.Dirs, AllowNet: opts.AllowNet}); err != nil {
			return sum, err
		}
		modules, docs, err := load(opts.Dirs)
		if err != nil {
			return sum, err
		}
		rs, err := runTests(ctx, opts, modules, docs, true)
		if err != nil {
			return sum, err
		}
		for _, r := range rs {
			if only == nil || only[filepath.Clean(r.Location.File)] {
				results = append(results, r)
			}
		}
	}
	if len(opts.EnvDirs) > 0 {
		// As `check --env-policy` loads them, every namespace: conftest's
		// verify runs the tests of every package.
		if _, err := policy.New(ctx, policy.Options{EnvPolicyDirs: opts.EnvDirs, AllNamespaces: true, AllowNet: opts.AllowNet}); err != nil {
			return sum, err
		}
		modules, docs, err := policy.LoadEnv(opts.EnvDirs, true)
		if err != nil {
			return sum, err
		}
		rs, err := runTests(ctx, opts, modules, docs, false)
		if err != nil {
			return sum, err
		}
		results = append(results, rs...)
	}
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.Location.File != b.Location.File {
			return a.Location.File < b.Location.File
		}
		return a.Location.Row < b.Location.Row
	})
	if len(results) == 0 {
		return sum, &policy.Error{Err: fmt.Errorf("no tests found in %s: tests are rules named test_* in *_test.rego files", strings.Join(append(slices.Clip(opts.Dirs), opts.EnvDirs...), ", "))}
	}
	for _, r := range results {
		name := strings.TrimPrefix(r.Package, "data.") + "." + r.Name
		where := fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row)
		switch {
		case r.Skip:
			sum.Skipped++
			fmt.Fprintf(w, "SKIP   %s (%s)\n", name, where)
		case r.Error != nil:
			sum.Errors++
			fmt.Fprintf(w, "ERROR  %s (%s)\n", name, where)
			for _, p := range locate(r.Error) {
				for _, line := range strings.Split(p.String(), "\n") {
					fmt.Fprintf(w, "       %s\n", line)
				}
			}
		case r.Fail:
			sum.Failed++
			fmt.Fprintf(w, "FAIL   %s (%s)\n", name, where)
			if r.FailedAt != nil && r.FailedAt.Location != nil {
				fmt.Fprintf(w, "       failed at %s:%d: %s\n", r.FailedAt.Location.File, r.FailedAt.Location.Row, oneLine(string(r.FailedAt.Location.Text)))
			}
		default:
			sum.Passed++
			fmt.Fprintf(w, "PASS   %s (%s, %s)\n", name, where, r.Duration.Round(time.Microsecond))
		}
		if len(r.Output) > 0 && (opts.Verbose || r.Fail || r.Error != nil) {
			for _, line := range strings.Split(strings.TrimRight(string(r.Output), "\n"), "\n") {
				fmt.Fprintf(w, "       | %s\n", line)
			}
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed", sum.Passed, sum.Failed)
	if sum.Errors > 0 {
		fmt.Fprintf(w, ", %d errored", sum.Errors)
	}
	if sum.Skipped > 0 {
		fmt.Fprintf(w, ", %d skipped", sum.Skipped)
	}
	fmt.Fprintln(w)
	return sum, nil
}

// runTests runs one suite: the cross-environment policies with
// lockstep.input_from (inputFrom), or the per-environment ones without.
func runTests(ctx context.Context, opts Options, modules map[string]*ast.Module, docs map[string]any, inputFrom bool) ([]*tester.Result, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// The runner would compile with all of OPA's built-ins; tests run
	// the policies, so they get the same sandbox as check.
	caps := policy.Capabilities(opts.AllowNet)
	var builtins []*tester.Builtin
	if inputFrom {
		b := inputFromBuiltin()
		caps.Builtins = append(caps.Builtins, b.Decl)
		builtins = append(builtins, b)
	}
	compiler := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(true)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(inmem.NewFromObject(docs)).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetTimeout(timeout).
		AddCustomBuiltins(builtins)
	if opts.Run != "" {
		runner = runner.Filter(opts.Run)
	}
	// SetModules+RunTests is what the deprecated Run(ctx, modules) did; a
	// nil transaction lets the runner open its own on the store set above.
	wctx, stop := policy.WatchMemory(ctx, opts.MaxMemory)
	defer stop()
	ch, err := runner.SetModules(modules).RunTests(wctx, nil)
	if err != nil {
		return nil, &policy.Error{Problems: locate(err), Err: err}
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	if policy.OverMemory(wctx) {
		limit := opts.MaxMemory
		if limit == 0 {
			limit = policy.DefaultMaxMemory
		}
		return nil, &policy.Error{Err: fmt.Errorf("the tests grew memory by more than %s (--policy-max-memory) and were stopped; a test or the policy it runs builds a value too large (numbers.range, a comprehension over every pair): fix it, or raise --policy-max-memory", readfile.Size(limit))}
	}
	return results, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// load reads the user's directories, tests included, and the built-in
// rules and lib (without their tests), so user tests can import
// data.lockstep.lib or exercise a built-in rule.
func load(dirs []string) (map[string]*ast.Module, map[string]any, error) {
	modules, err := policy.BuiltinModules()
	if err != nil {
		return nil, nil, &policy.Error{Err: err}
	}
	user, docs, err := policy.Load(dirs, true)
	if err != nil {
		return nil, nil, err
	}
	for name, m := range user {
		if _, clash := modules[name]; clash {
			return nil, nil, &policy.Error{Err: fmt.Errorf("%s: a policy file has the same name as a built-in rule file", name)}
		}
		modules[name] = m
	}
	return modules, docs, nil
}

func locate(err error) []policy.Problem {
	return (&policy.Error{Err: err}).Located()
}
