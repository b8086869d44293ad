package policy

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/internal/testfile"
)

// TestInputReads: the static analysis finds a read of input.<key> however
// the rule spells it (a reference, an index, `some ... in`, a function
// argument, a comprehension, an else), at the line of the read, and
// nothing else (data documents, other keys, a local named input_x).
func TestInputReads(t *testing.T) {
	const head = "package main\n\nimport rego.v1\n\n"
	for _, tc := range []struct {
		name, body string
		want       []string // rule key line
	}{
		{"reference", "deny contains r.type if {\n\tr := input.resource_changes[_]\n}\n", []string{"main.deny resource_changes 6"}},
		{"index", "deny contains 1 if {\n\tinput[\"planned_values\"].root_module\n}\n", []string{"main.deny planned_values 6"}},
		{"some in", "deny contains x if {\n\tsome x in input.configuration.provider_config\n}\n", []string{"main.deny configuration 6"}},
		{"function argument", "f(x) := count(x)\n\ndeny contains 1 if {\n\tf(input.prior_state) > 0\n}\n", []string{"main.deny prior_state 8"}},
		{"comprehension", "deny contains n if {\n\tn := count([r | some r in input.values.root_module.resources])\n}\n", []string{"main.deny values 6"}},
		{"head", "warn contains input.values.x if {\n\ttrue\n}\n", []string{"main.warn values 5"}},
		{"helper rule", "names contains r.address if {\n\tsome r in input.resource_changes\n}\n", []string{"main.names resource_changes 6"}},
		{"twice, once per rule", "deny contains 1 if {\n\tinput.values.a\n\tinput.values.b\n}\n", []string{"main.deny values 6"}},
		{"cross-environment keys only", "deny contains 1 if {\n\tinput.env.staging\n\tinput.resources[_].address\n\tdata.resource_changes\n}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), head+tc.body)
			err := checkPolicyReads(t, dir)
			var got []string
			if err != nil {
				for _, p := range err.(*Error).Problems {
					rule, rest, _ := strings.Cut(p.Message, " reads input.")
					key, _, _ := strings.Cut(rest, ",")
					got = append(got, fmt.Sprintf("%s %s %d", rule, key, p.Line))
					if !strings.HasSuffix(p.Message, SinglePlanHint) || filepath.Base(p.File) != "p.rego" {
						t.Errorf("problem %+v lacks the file or the hint", p)
					}
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("reads %q, want %q", got, tc.want)
			}
		})
	}
}

func checkPolicyReads(t *testing.T, dir string) error {
	t.Helper()
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("%T %v", err, err)
		}
	}
	return err
}

// TestReadsEnv: a user rule may read input.env however it reaches it (a
// reference, an index, `some ... in`, an import, input whole: bound,
// passed to a function, walked, printed, or indexed by a variable); only
// then are the environments' documents built. Rules that read the matched
// resources, data, or a local named like input leave them out, and the
// built-in rules never read them.
func TestReadsEnv(t *testing.T) {
	const head = "package main\n\nimport rego.v1\n\n"
	for _, tc := range []struct {
		name, src string
		want      bool
	}{
		{"the matched resources", head + "deny contains r.address if {\n\tsome r in input.resources\n\tr.type == \"x\"\n}\n", false},
		{"facts and data", head + "deny contains 1 if {\n\tinput.environments[0] == data.first\n\tcount(input.drift) > 0\n}\n", false},
		{"a local named like input", head + "deny contains input_x if {\n\tinput_x := input.target\n}\n", false},
		{"reference", head + "deny contains 1 if {\n\tinput.env.production.resources\n}\n", true},
		{"index", head + "deny contains 1 if {\n\tinput[\"env\"].staging\n}\n", true},
		{"some in", head + "deny contains n if {\n\tsome n, _ in input.env\n}\n", true},
		{"nested in another reference", head + "deny contains 1 if {\n\tinput.resources[input.env.x]\n}\n", true},
		{"import", "package main\n\nimport rego.v1\nimport input.env as envs\n\ndeny contains 1 if {\n\tenvs.production\n}\n", true},
		{"input bound", head + "deny contains 1 if {\n\tdoc := input\n\tdoc.env.production\n}\n", true},
		{"input to a function", head + "f(doc) := doc.env\n\ndeny contains 1 if {\n\tf(input)\n}\n", true},
		{"object.get", head + "deny contains 1 if {\n\tobject.get(input, [\"env\", \"production\"], null)\n}\n", true},
		{"walk", head + "deny contains p if {\n\twalk(input, [p, \"secret\"])\n}\n", true},
		{"printed", head + "deny contains 1 if {\n\tprint(input)\n\tfalse\n}\n", true},
		{"index by a variable", head + "deny contains k if {\n\tsome k in [\"env\"]\n\tinput[k]\n}\n", true},
		{"in a helper rule", head + "prod := input.env.production\n\ndeny contains 1 if {\n\tprod\n}\n", true},
		{"in an else", head + "x := 1 if {\n\tfalse\n} else := input.env\n\ndeny contains 1 if {\n\tx\n}\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), tc.src)
			e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Print: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			if e.userReadsEnv != tc.want {
				t.Errorf("userReadsEnv %v, want %v", e.userReadsEnv, tc.want)
			}
		})
	}
	builtin, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if builtin.userReadsEnv {
		t.Error("without user rules, the environments' documents are to be built")
	}
	modules, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	if readsEnv(modules) {
		t.Error("a built-in rule or lib reads input.env, or input whole: every user rule would build the environments' documents")
	}
	// The compiler hoists a reference out of another's index and makes a
	// bare input a reference; as parsed, they are still found.
	for src, want := range map[string]bool{
		head + "deny contains 1 if {\n\tinput.resources[input.env.x]\n}\n":  true,
		head + "deny contains 1 if {\n\tdoc := input\n\tdoc.x\n}\n":         true,
		head + "deny contains 1 if {\n\tinput.resources[input.target]\n}\n": false,
	} {
		m, err := ast.ParseModuleWithOpts("p.rego", src, ast.ParserOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := readsEnv(map[string]*ast.Module{"p.rego": m}); got != want {
			t.Errorf("parsed %q: readsEnv %v, want %v", src, got, want)
		}
	}
}
