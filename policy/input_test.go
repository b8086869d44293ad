package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// scenarioDocument builds the input document for a real-Terraform scenario.
func scenarioDocument(t *testing.T, scenario, kind string) *Document {
	t.Helper()
	var envs []parity.Env
	for _, name := range []string{"staging", "production"} {
		s, err := parser.ReadFile("../testdata/scenarios/"+scenario+"/"+name+"."+kind, parser.Options{Key: []byte("test key")})
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, parity.Env{Name: name, Snapshot: s})
	}
	facts, err := parity.Build(parity.Options{Envs: envs})
	if err != nil {
		t.Fatal(err)
	}
	return NewDocument(facts, envs)
}

// eachScenarioKind calls f for every real-Terraform scenario and every
// input kind it has for both environments (plans, state JSON, raw states).
func eachScenarioKind(t *testing.T, f func(scenario, kind string)) {
	t.Helper()
	plans, err := filepath.Glob("../testdata/scenarios/*/staging.plan.json")
	if err != nil || len(plans) < 10 {
		t.Fatalf("scenarios: %v, %d", err, len(plans))
	}
	for _, p := range plans {
		for _, kind := range []string{"plan.json", "state.json", "tfstate"} {
			if _, err := os.Stat(filepath.Join(filepath.Dir(p), "production."+kind)); err == nil {
				f(filepath.Base(filepath.Dir(p)), kind)
			}
		}
	}
}

// TestDocumentValueMatchesJSON: the OPA value rules see (built with lazy
// objects) equals the JSON --dump-input writes, for every scenario and
// input kind, so what users dump is what their policies get.
func TestDocumentValueMatchesJSON(t *testing.T) {
	for _, scenario := range []string{"a-staging-only-change", "b-pr-changes-staging-only", "e-cross-env-reference", "g-shared-secret"} {
		for _, kind := range []string{"plan.json", "state.json", "tfstate"} {
			t.Run(scenario+"/"+kind, func(t *testing.T) {
				doc := scenarioDocument(t, scenario, kind)
				b, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				want, err := ast.ValueFromReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				got, err := doc.Value()
				if err != nil {
					t.Fatal(err)
				}
				if got.Compare(want) != 0 {
					t.Errorf("value and JSON differ:\nvalue %s\njson  %s", got, want)
				}
			})
		}
	}
}

// TestDocumentSensitive: hidden values read "(sensitive)" in now/after, and
// their paths and hashes are in now_sensitive/after_sensitive; the two
// environments' different passwords hash differently.
func TestDocumentSensitive(t *testing.T) {
	doc := scenarioDocument(t, "a-staging-only-change", "plan.json")
	input, err := doc.Value()
	if err != nil {
		t.Fatal(err)
	}
	pq, err := rego.New(rego.Query(`x := {e: [r.now.input.password, r.now_sensitive["input.password"]] |
		some e in input.environments
		r := input.env[e].resources["terraform_data.db"]
	}`)).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rs, err := pq.Eval(context.Background(), rego.EvalParsedInput(input))
	if err != nil {
		t.Fatal(err)
	}
	x := rs[0].Bindings["x"].(map[string]any)
	s, p := x["staging"].([]any), x["production"].([]any)
	if s[0] != "(sensitive)" || p[0] != "(sensitive)" {
		t.Errorf("password shown as %v / %v", s[0], p[0])
	}
	sh, ph := s[1].(string), p[1].(string)
	if len(sh) != 32 || sh == ph {
		t.Errorf("hashes %q %q: want two different 32-hex-digit hashes", sh, ph)
	}
	b, _ := json.Marshal(doc)
	if !strings.Contains(string(b), `"(sensitive)"`) {
		t.Error("the JSON document has no (sensitive) marker")
	}
}

// TestValueIsLazy checks that building the input value converts no
// environment resource: a resource holding a value OPA cannot convert (a
// channel) would make the conversion panic. Rules then convert only what
// they read, and one that reads the whole input still works.
func TestValueIsLazy(t *testing.T) {
	snap := func(bad bool) *snapshot.Snapshot {
		vals := map[string]any{"size": "large"}
		if bad {
			vals["unconvertible"] = make(chan int)
		}
		return &snapshot.Snapshot{Kind: snapshot.Kind("plan"), Resources: map[string]*snapshot.Resource{
			"aws_instance.a": {Address: "aws_instance.a", Type: "aws_instance", Name: "a", Now: &snapshot.Object{Values: snapshot.NewAttributes(vals)}, After: &snapshot.Object{Values: snapshot.NewAttributes(vals)}},
		}}
	}
	facts := &parity.Facts{Environments: []string{"staging", "production"}, Kinds: map[string]string{}, Resources: []*parity.Resource{}}
	dir := t.TempDir()
	src := `package main

deny contains msg if {
	r := input.env.production.resources["aws_instance.a"]
	msg := sprintf("%s is %s of %d", [r.address, r.after.size, count(input.env.staging.by_type.aws_instance)])
}

# Reads the whole input, converting everything.
warn contains msg if {
	keys := {k | some k, _ in input}
	msg := sprintf("%d keys, staging size %s", [count(keys), input.env.staging.resources["aws_instance.a"].now.size])
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}

	doc := NewDocument(facts, []parity.Env{{Name: "staging", Snapshot: snap(false)}, {Name: "production", Snapshot: snap(true)}})
	input, err := doc.Value()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), input, Settings{"main.warn": {Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Message != "aws_instance.a is large of 1" {
		t.Errorf("findings %+v", fs)
	}

	doc = NewDocument(facts, []parity.Env{{Name: "staging", Snapshot: snap(false)}, {Name: "production", Snapshot: snap(false)}})
	if input, err = doc.Value(); err != nil {
		t.Fatal(err)
	}
	if fs, err = e.Evaluate(context.Background(), input, nil); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range fs {
		msgs = append(msgs, f.Message)
	}
	if len(fs) != 2 || msgs[0] != "aws_instance.a is large of 1" || msgs[1] != "9 keys, staging size large" {
		t.Errorf("findings %q", msgs)
	}
}

// TestValueEnvironments: the input value holds the documents of the
// environments the rules may read, each as Value gives it, and no other.
func TestValueEnvironments(t *testing.T) {
	doc := scenarioDocument(t, "a-staging-only-change", "plan.json")
	full, err := doc.Value()
	if err != nil {
		t.Fatal(err)
	}
	env := func(v ast.Value) ast.Object {
		t.Helper()
		return v.(ast.Object).Get(ast.InternedTerm("env")).Value.(ast.Object)
	}
	for _, tc := range []struct {
		name  string
		reads envReads
		want  []string
	}{
		{"none", envReads{}, nil},
		{"one", envReads{names: map[string]bool{"production": true}}, []string{"production"}},
		{"one that is not there", envReads{names: map[string]bool{"prod": true}}, nil},
		{"all", envReads{all: true}, []string{"production", "staging"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := doc.value(userReads{env: tc.reads, resources: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, k := range env(v).Keys() {
				name := string(k.Value.(ast.String))
				got = append(got, name)
				want := env(full).Get(k)
				if have := env(v).Get(k); want == nil || have.Value.Compare(want.Value) != 0 {
					t.Errorf("env.%s differs from Value's", name)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("env holds %q, want %q", got, tc.want)
			}
			if v.(ast.Object).Get(ast.InternedTerm("resources")).Value.Compare(full.(ast.Object).Get(ast.InternedTerm("resources")).Value) != 0 {
				t.Error("the matched resources differ from Value's")
			}
		})
	}
}

// TestValueResources: without a rule that may read them, the matched
// resources are an empty list in the input value, and every other fact
// is Value's.
func TestValueResources(t *testing.T) {
	doc := scenarioDocument(t, "a-staging-only-change", "plan.json")
	full, err := doc.Value()
	if err != nil {
		t.Fatal(err)
	}
	v, err := doc.value(userReads{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Facts.Resources) == 0 {
		t.Fatal("the scenario matched no resources: the test shows nothing")
	}
	got, want := v.(ast.Object), full.(ast.Object)
	if r := got.Get(ast.InternedTerm("resources")); r == nil || r.Value.Compare(ast.NewArray()) != 0 {
		t.Errorf("resources = %v, want an empty list", r)
	}
	for _, k := range want.Keys() {
		if key := string(k.Value.(ast.String)); key == "resources" || key == "env" {
			continue
		}
		if have := got.Get(k); have == nil || have.Value.Compare(want.Get(k).Value) != 0 {
			t.Errorf("%v differs from Value's", k)
		}
	}
	if len(doc.Facts.Resources) == 0 {
		t.Error("value emptied the document's own resources")
	}
}
