package policy

import (
	"context"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
)

// TestCompileUnits: without user policies the built-in rules are split
// over the cores, up to maxUnits, each rule in exactly one unit with lib in
// every one, the units' shares of source within one rule of each other;
// with a user policy, or one core, everything is one unit.
func TestCompileUnits(t *testing.T) {
	builtin, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	user, err := loadModules(fstest.MapFS{"mine.rego": {Data: []byte("package mine\nimport data.lockstep.lib\ndeny contains 1 if false\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var rules, libs []string
	largest := 0
	for file, m := range builtin {
		if isRuleModule(m) {
			rules = append(rules, file)
			largest = max(largest, sourceLen(m))
		} else {
			libs = append(libs, file)
		}
	}
	if len(rules) < maxUnits || len(libs) == 0 {
		t.Fatalf("%d rule modules and %d others: the test needs more than %d rules and lib", len(rules), len(libs), maxUnits)
	}
	for _, tc := range []struct {
		name  string
		user  map[string]*ast.Module
		cores int
		units int
	}{
		{"one core", nil, 1, 1},
		{"two cores", nil, 2, 2},
		{"three cores", nil, 3, 3},
		{"more cores than maxUnits", nil, 16, maxUnits},
		{"user policies", user, 2, 1},
		{"user policies on one core", user, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			units := compileUnits(builtin, tc.user, tc.cores)
			if len(units) != tc.units {
				t.Fatalf("%d units, want %d", len(units), tc.units)
			}
			if tc.units == 1 {
				want := maps.Clone(builtin)
				maps.Copy(want, tc.user)
				if !reflect.DeepEqual(slices.Sorted(maps.Keys(units[0])), slices.Sorted(maps.Keys(want))) {
					t.Errorf("one unit holds %v, want every module %v", slices.Sorted(maps.Keys(units[0])), slices.Sorted(maps.Keys(want)))
				}
				return
			}
			seen := map[string]int{}
			var loads []int
			for i, u := range units {
				load := 0
				for _, lib := range libs {
					if u[lib] == nil {
						t.Errorf("unit %d lacks %s", i, lib)
					}
				}
				for file, m := range u {
					if isRuleModule(m) {
						seen[file]++
						load += sourceLen(m)
					}
				}
				loads = append(loads, load)
			}
			for _, file := range rules {
				if seen[file] != 1 {
					t.Errorf("%s is in %d units, want 1", file, seen[file])
				}
			}
			if spread := slices.Max(loads) - slices.Min(loads); spread > largest {
				t.Errorf("units' source lengths %v differ by %d, more than the largest rule's %d", loads, spread, largest)
			}
			if again := compileUnits(builtin, tc.user, tc.cores); !reflect.DeepEqual(again, units) {
				t.Error("a second split differs from the first")
			}
		})
	}
}

// TestEngineOnAnyCores: the engine judges alike whether its rules were
// compiled in one compiler or split over the cores, and whether the
// compiler ran its checkStages (as it does beside a user policy, here a
// module of a package no rule is evaluated in) or skipped them (the built-in rules alone): the same
// built-in rules, in the same order, and the same findings for every
// scenario that has them.
func TestEngineOnAnyCores(t *testing.T) {
	const checked = 0 // engines' key for the one compiled with every stage
	engines := map[int]*Engine{}
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		e, err := New(context.Background(), Options{})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		engines[procs] = e
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "never.rego"), []byte("package never\n\ndeny contains \"never\" if input.never_present\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	engines[checked] = e
	for procs, e := range engines {
		if !reflect.DeepEqual(e.rules, engines[1].rules) {
			t.Errorf("GOMAXPROCS %d: rules %+v, want %+v", procs, e.rules, engines[1].rules)
		}
	}
	total := 0
	for _, scenario := range []string{"a-staging-only-change", "b-pr-changes-staging-only", "e-cross-env-reference", "f-version-skew", "g-shared-secret"} {
		doc := scenarioDocument(t, scenario, "plan.json")
		want, err := engines[1].EvaluateDocument(context.Background(), doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		total += len(want)
		for _, procs := range []int{2, 4, checked} {
			got, err := engines[procs].EvaluateDocument(context.Background(), doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, GOMAXPROCS %d: findings %+v, want %+v", scenario, procs, got, want)
			}
		}
	}
	if total == 0 {
		t.Fatal("no scenario gave a finding: the comparison shows nothing")
	}
}

// TestBuiltinRulesPassEveryCheck: the built-in rules compile with every
// stage of OPA's compiler, strictly (unused variables and imports, shadowed
// keywords are errors too), as New's compile of them alone, which skips
// checkStages, relies on; a rule module with a type error does not.
func TestBuiltinRulesPassEveryCheck(t *testing.T) {
	builtin, err := BuiltinModules()
	if err != nil {
		t.Fatal(err)
	}
	broken, err := loadModules(fstest.MapFS{"broken.rego": {Data: []byte("package lockstep.rules.broken\n\nfindings contains count(1) if true\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		modules map[string]*ast.Module
		fails   bool
	}{
		{"built-in rules", builtin, false},
		{"with a type error", broken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			modules := maps.Clone(builtin)
			maps.Copy(modules, tc.modules)
			c := ast.NewCompiler().WithCapabilities(Capabilities(false)).WithStrict(true)
			if c.Compile(modules); c.Failed() != tc.fails {
				t.Fatalf("errors %v, want them: %v", c.Errors, tc.fails)
			}
			if !tc.fails {
				return
			}
			skipping := ast.NewCompiler().WithCapabilities(Capabilities(false)).WithSkipStages(checkStages...)
			if skipping.Compile(modules); skipping.Failed() {
				t.Fatalf("skipping checkStages, errors %v: the error is not one of theirs, so the test shows nothing about them", skipping.Errors)
			}
		})
	}
}

// TestEvaluateInShares: the built-in rules that read input.resources judge
// its resources in shares alike: each rule's findings over every scenario
// (plans, state JSON and raw states), judged in up to four shares, are the
// ones judged whole, once sorted as the report sorts them; the rules that
// read no resource are never split (their findings would repeat per share).
func TestEvaluateInShares(t *testing.T) {
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	whole, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole.splitAt = math.MaxInt
	split, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	split.splitAt = 1
	each := map[string]bool{}
	for i, r := range split.rules {
		if split.each[i] {
			each[r.ID] = true
		}
	}
	want := map[string]bool{"attribute-divergence": true, "cross-env-reference": true, "missing-resource": true,
		"one-sided-change": true, "promotion-order": true, "shared-secret": true}
	if !reflect.DeepEqual(each, want) {
		t.Fatalf("rules judged in shares %v, want %v", each, want)
	}
	shared := 0
	eachScenarioKind(t, func(scenario, kind string) {
		doc := scenarioDocument(t, scenario, kind)
		input, err := doc.BuiltinValue()
		if err != nil {
			t.Fatal(err)
		}
		if len(split.shares("", input)) > 1 {
			shared++
		}
		var got, want report.Report
		if got.Findings, err = split.EvaluateDocument(context.Background(), doc, nil); err != nil {
			t.Fatal(err)
		}
		if want.Findings, err = whole.EvaluateDocument(context.Background(), doc, nil); err != nil {
			t.Fatal(err)
		}
		got.Sort()
		want.Sort()
		if !reflect.DeepEqual(got.Findings, want.Findings) {
			t.Errorf("%s %s: in shares %+v, whole %+v", scenario, kind, got.Findings, want.Findings)
		}
	})
	if shared < 20 {
		t.Fatalf("only %d inputs were split: the test shows little", shared)
	}
}

// TestJudged: a resource is judged when the environments disagree on
// whether it exists now or after the plan, or when it has something else
// to judge; one every environment creates, changes, deletes or keeps
// alike is not.
func TestJudged(t *testing.T) {
	env := func(now, after bool, actions ...string) parity.EnvState {
		return parity.EnvState{Now: now, After: after, Actions: actions}
	}
	for _, tc := range []struct {
		name string
		r    parity.Resource
		want bool
	}{
		{"kept alike", parity.Resource{Envs: []parity.EnvState{env(true, true, "no-op"), env(true, true, "no-op")}}, false},
		{"created alike", parity.Resource{Envs: []parity.EnvState{env(false, true, "create"), env(false, true, "create")}}, false},
		{"updated in one, replaced in the other", parity.Resource{Envs: []parity.EnvState{env(true, true, "update"), env(true, true, "delete", "create")}}, false},
		{"deleted alike", parity.Resource{Envs: []parity.EnvState{env(true, false, "delete"), env(true, false, "delete")}}, false},
		{"created in one only", parity.Resource{Envs: []parity.EnvState{env(false, true, "create"), env(false, false)}}, true},
		{"present in one, created in the other", parity.Resource{Envs: []parity.EnvState{env(true, true, "no-op"), env(false, true, "create")}}, true},
		{"deleted in one only", parity.Resource{Envs: []parity.EnvState{env(true, false, "delete"), env(true, true, "no-op")}}, true},
		{"the third environment differs", parity.Resource{Envs: []parity.EnvState{env(true, true), env(true, true), env(false, false)}}, true},
		{"alike, with a differing path", parity.Resource{Envs: []parity.EnvState{env(true, true), env(true, true)}, Attributes: []*parity.Attribute{{Path: "x"}}}, true},
		{"alike, with only_in", parity.Resource{Envs: []parity.EnvState{env(true, true), env(true, true)}, OnlyIn: []string{"staging"}}, true},
		{"no environment", parity.Resource{}, false},
	} {
		if got := judged(&tc.r); got != tc.want {
			t.Errorf("%s: judged %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestEvaluateInSharesErrors: a rule judged in shares that stops (here
// out of time before it begins) reports the error once, as the rule
// judged whole does.
func TestEvaluateInSharesErrors(t *testing.T) {
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	engines := map[int]*Engine{}
	for _, splitAt := range []int{1, math.MaxInt} {
		e, err := New(context.Background(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		e.splitAt = splitAt
		engines[splitAt] = e
	}
	doc := scenarioDocument(t, "a-staging-only-change", "plan.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, split := engines[1].EvaluateDocument(ctx, doc, nil)
	_, whole := engines[math.MaxInt].EvaluateDocument(ctx, doc, nil)
	if split == nil || whole == nil || split.Error() != whole.Error() {
		t.Fatalf("in shares: %v\nwhole: %v", split, whole)
	}
}
