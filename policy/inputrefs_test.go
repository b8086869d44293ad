package policy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"reflect"
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
// the documents of the environments it may read are built, every one when
// it names none. Rules that read the matched resources, data, or a local
// named like input build none, and the built-in rules read none.
func TestReadsEnv(t *testing.T) {
	const head = "package main\n\nimport rego.v1\n\n"
	const all = "*"
	for _, tc := range []struct {
		name, src string
		want      string // all, or the environments named, comma-separated
	}{
		{"the matched resources", head + "deny contains r.address if {\n\tsome r in input.resources\n\tr.type == \"x\"\n}\n", ""},
		{"facts and data", head + "deny contains 1 if {\n\tinput.environments[0] == data.first\n\tcount(input.drift) > 0\n}\n", ""},
		{"a local named like input", head + "deny contains input_x if {\n\tinput_x := input.target\n}\n", ""},
		{"one environment", head + "deny contains 1 if {\n\tinput.env.production.resources\n}\n", "production"},
		{"two environments", head + "deny contains 1 if {\n\tinput.env.production.resources\n\tinput.env[\"staging\"].kind\n}\n", "production,staging"},
		{"every environment", head + "deny contains 1 if {\n\tcount(input.env) > 1\n}\n", all},
		{"an environment by a variable", head + "deny contains 1 if {\n\tsome name in input.environments\n\tinput.env[name].kind\n}\n", all},
		{"index", head + "deny contains 1 if {\n\tinput[\"env\"].staging\n}\n", "staging"},
		{"some in", head + "deny contains n if {\n\tsome n, _ in input.env\n}\n", all},
		{"nested in another reference", head + "deny contains 1 if {\n\tinput.resources[input.env.x]\n}\n", "x"},
		{"import", "package main\n\nimport rego.v1\nimport input.env as envs\n\ndeny contains 1 if {\n\tenvs.production\n}\n", "production"},
		{"input bound", head + "deny contains 1 if {\n\tdoc := input\n\tdoc.env.production\n}\n", all},
		{"input to a function", head + "f(doc) := doc.env\n\ndeny contains 1 if {\n\tf(input)\n}\n", all},
		{"object.get", head + "deny contains 1 if {\n\tobject.get(input, [\"env\", \"production\"], null)\n}\n", all},
		{"walk", head + "deny contains p if {\n\twalk(input, [p, \"secret\"])\n}\n", all},
		{"printed", head + "deny contains 1 if {\n\tprint(input)\n\tfalse\n}\n", all},
		{"index by a variable", head + "deny contains k if {\n\tsome k in [\"env\"]\n\tinput[k]\n}\n", all},
		{"in a helper rule", head + "prod := input.env.production\n\ndeny contains 1 if {\n\tprod\n}\n", "production"},
		{"in an else", head + "x := 1 if {\n\tfalse\n} else := input.env.staging\n\ndeny contains 1 if {\n\tx\n}\n", "staging"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), tc.src)
			e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Print: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			if got := envReadsString(e.userReads.env); got != tc.want {
				t.Errorf("reads %q of input.env, want %q", got, tc.want)
			}
		})
	}
	builtin, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if builtin.userReads.env.any() {
		t.Error("without user rules, the environments' documents are to be built")
	}
	modules, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	if reads := readsEnv(modules); reads.any() {
		t.Errorf("the built-in rules and lib read %q of input.env: every user rule would build those documents", envReadsString(reads))
	}
	// The compiler hoists a reference out of another's index and makes a
	// bare input a reference; as parsed, they are still found.
	for src, want := range map[string]string{
		head + "deny contains 1 if {\n\tinput.resources[input.env.x]\n}\n":  "x",
		head + "deny contains 1 if {\n\tdoc := input\n\tdoc.x\n}\n":         all,
		head + "deny contains 1 if {\n\tinput.resources[input.target]\n}\n": "",
	} {
		m, err := ast.ParseModuleWithOpts("p.rego", src, ast.ParserOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := envReadsString(readsEnv(map[string]*ast.Module{"p.rego": m})); got != want {
			t.Errorf("parsed %q: reads %q of input.env, want %q", src, got, want)
		}
	}
}

// TestReadsResources: the user rules may read input.resources when they
// name it, read input whole or by a variable key, or reach a built-in
// rule's package (whose rules, read from a user rule, judge the user rules'
// input); naming only other parts, lockstep's constants or lib functions
// that do not read it leaves the matched resources out.
func TestReadsResources(t *testing.T) {
	const head = "package main\n\nimport rego.v1\n\n"
	for _, tc := range []struct {
		name, src string
		want      bool
	}{
		{"the matched resources", head + "deny contains r.address if {\n\tsome r in input.resources\n}\n", true},
		{"by index", head + "deny contains 1 if {\n\tinput[\"resources\"][0]\n}\n", true},
		{"one environment", head + "deny contains a if {\n\tsome a in input.env.production.by_type.aws_instance\n}\n", false},
		{"facts but not the resources", head + "deny contains 1 if {\n\tcount(input.environments) > 1\n\tinput.target == \"x\"\n}\n", false},
		{"input bound", head + "deny contains 1 if {\n\tdoc := input\n\tdoc.target\n}\n", true},
		{"input to a function", head + "f(doc) := doc.target\n\ndeny contains 1 if {\n\tf(input)\n}\n", true},
		{"index by a variable", head + "deny contains k if {\n\tsome k in [\"env\"]\n\tinput[k]\n}\n", true},
		{"in a helper rule", head + "rs := input.resources\n\ndeny contains 1 if {\n\tcount(rs) > 0\n}\n", true},
		{"in a second package", head + "deny contains 1 if {\n\tdata.helpers.big\n}\n", true},
		{"a built-in rule's result", head + "deny contains 1 if {\n\tcount(data.lockstep.rules.missing_resource.findings) > 0\n}\n", true},
		{"all of data.lockstep", head + "deny contains 1 if {\n\tdata.lockstep[x]\n\tx == \"y\"\n}\n", true},
		{"data by a variable", head + "deny contains 1 if {\n\tsome p in [\"lockstep\"]\n\tdata[p]\n}\n", true},
		{"lockstep's constants", head + "deny contains 1 if {\n\tdata.lockstep.constants\n\tinput.env.production\n}\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), tc.src)
			if strings.Contains(tc.src, "data.helpers") {
				testfile.Write(t, filepath.Join(dir, "helpers.rego"), "package helpers\n\nimport rego.v1\n\nbig if count(input.resources) > 100\n")
			}
			e, err := New(context.Background(), Options{PolicyDirs: []string{dir}, Print: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			if e.userReads.resources != tc.want {
				t.Errorf("reads input.resources: %v, want %v", e.userReads.resources, tc.want)
			}
		})
	}
}

func envReadsString(r envReads) string {
	if r.all {
		return "*"
	}
	return strings.Join(slices.Sorted(maps.Keys(r.names)), ",")
}

// TestEnvReadsSound: the repository's own cross-environment policies (the
// examples, the docs' example) find the same with the environments'
// documents readsEnv leaves out, and the matched resources readsResources
// leaves out, as with everything, on the scenarios.
func TestEnvReadsSound(t *testing.T) {
	dirs, err := filepath.Glob("../examples/policies/*/*.rego")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no example policies: %v", err)
	}
	for i, f := range dirs {
		dirs[i] = filepath.Dir(f)
	}
	dirs = append(slices.Compact(dirs), "../docs/examples/input")
	builtin, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	builtinIDs := map[string]bool{}
	for _, id := range builtin.IDs("*") {
		builtinIDs[id] = true
	}
	restricted, found := 0, 0
	for _, dir := range dirs {
		e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if !e.userReads.env.all || !e.userReads.resources {
			restricted++
		}
		natural := e.userReads
		for _, scenario := range []string{"a-staging-only-change", "b-pr-changes-staging-only", "f-version-skew", "p-three-envs"} {
			for _, kind := range []string{"plan.json", "tfstate"} {
				doc := scenarioDocument(t, scenario, kind)
				e.userReads = natural
				got, err := e.EvaluateDocument(context.Background(), doc, nil)
				if err != nil {
					t.Fatalf("%s on %s: %v", dir, scenario, err)
				}
				e.userReads = readsAll
				want, err := e.EvaluateDocument(context.Background(), doc, nil)
				if err != nil {
					t.Fatalf("%s on %s: %v", dir, scenario, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s on %s %s: findings %+v with %q of input.env (resources %v), %+v with all", dir, scenario, kind, got, envReadsString(natural.env), natural.resources, want)
				}
				for _, f := range want {
					if !builtinIDs[f.Rule] {
						found++
					}
				}
			}
		}
	}
	if restricted == 0 || found == 0 {
		t.Fatalf("%d policies read less than everything, %d findings of theirs: the comparison shows nothing", restricted, found)
	}
	t.Logf("%d policies, %d reading less than everything, %d findings of theirs", len(dirs), restricted, found)
}
