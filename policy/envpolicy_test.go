package policy

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/report"
)

// envPolicy is a conftest-style directory: deny, warn and violation rules
// in main, one excepted by name, and a rule in another package.
var envPolicy = map[string]string{
	"main.rego": `package main

import rego.v1

deny contains sprintf("%s is a %s", [r.address, r.type]) if {
	some r in input.resource_changes
	r.type == "aws_db_instance"
}

deny_run_as_root contains "runs as root" if input.root

warn contains {"msg": concat(" ", ["secret is", input.secret]), "address": "aws_x.a", "details": {"why": input.secret, "by_key": {input.secret: 1}}} if input.secret

violation contains {"msg": "limit exceeded", "details": {"limit": data.limits.max}} if count(input.resource_changes) > data.limits.max
`,
	"exception.rego": `package main

import rego.v1

exception contains ["run_as_root"] if input.excepted
`,
	"limits.json": `{"limits": {"max": 1}}`,
	"other.rego": `package other.checks

import rego.v1

deny contains "other package" if true
`,
}

// TestEvaluateEnv runs the policy once over one environment's document,
// as conftest would over that file.
func TestEvaluateEnv(t *testing.T) {
	dir := t.TempDir()
	for name, src := range envPolicy {
		testfile.Write(t, filepath.Join(dir, name), src)
	}
	plan := map[string]any{"resource_changes": []any{
		map[string]any{"address": "aws_db_instance.a", "type": "aws_db_instance"},
		map[string]any{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket"},
	}}
	with := func(kv ...any) map[string]any {
		out := map[string]any{"resource_changes": plan["resource_changes"]}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	for _, tc := range []struct {
		name       string
		namespaces []string
		all        bool
		doc        map[string]any
		want       []string // rule|severity|address|message|waived
	}{
		{"main", nil, false, plan, []string{
			"main.deny|error||aws_db_instance.a is a aws_db_instance|false",
			"main.violation|error||limit exceeded|false"}},
		{"rule not excepted", nil, false, with("root", true), []string{
			"main.deny|error||aws_db_instance.a is a aws_db_instance|false",
			"main.deny_run_as_root|error||runs as root|false",
			"main.violation|error||limit exceeded|false"}},
		{"exception names the rule", nil, false, with("root", true, "excepted", true), []string{
			"main.deny|error||aws_db_instance.a is a aws_db_instance|false",
			`main.deny_run_as_root|error||exception: data.main.exception[_][_] == "run_as_root"|true`,
			"main.violation|error||limit exceeded|false"}},
		{"secret redacted", nil, false, with("secret", "hunter2-long-secret"), []string{
			"main.deny|error||aws_db_instance.a is a aws_db_instance|false",
			"main.violation|error||limit exceeded|false",
			"main.warn|warning|aws_x.a|secret is (sensitive)|false"}},
		{"namespace glob", []string{"other.*"}, false, plan, []string{"other.checks.deny|error||other package|false"}},
		{"all namespaces", nil, true, map[string]any{}, []string{"other.checks.deny|error||other package|false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e, err := New(ctx, Options{EnvPolicyDirs: []string{dir}, Namespaces: tc.namespaces, AllNamespaces: tc.all})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ast.InterfaceToValue(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			redact := func(s string) string { return strings.ReplaceAll(s, "hunter2-long-secret", report.SensitiveText) }
			fs, err := e.EvaluateEnv(ctx, EnvInput{Name: "staging", Kind: "plan", Document: doc, Redact: redact}, Settings{})
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(fs); strings.Contains(string(b), "hunter2") {
				t.Errorf("a finding shows the secret: %s", b)
			}
			var got []string
			for _, f := range fs {
				if !slices.Equal(f.Environments, []string{"staging"}) {
					t.Errorf("%s: environments %q, want staging", f.Rule, f.Environments)
				}
				got = append(got, strings.Join([]string{f.Rule, string(f.Severity), f.Address, f.Message, map[bool]string{true: "true", false: "false"}[f.Waived]}, "|"))
			}
			slices.Sort(got)
			slices.Sort(tc.want)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			// The cross-environment evaluation never runs them.
			cross, err := e.Evaluate(ctx, ast.NewObject(), Settings{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range cross {
				if strings.Contains(f.Rule, ".") {
					t.Errorf("cross-environment evaluation ran %s", f.Rule)
				}
			}
		})
	}
}

// TestNamespaceFilter and exceptionName follow conftest's conventions.
func TestNamespaceFilter(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		all      bool
		pkg      string
		want     bool
	}{
		{nil, false, "data.main", true},
		{nil, false, "data.main.gke", false},
		{[]string{"main.*"}, false, "data.main.gke", true},
		{[]string{"main.gke"}, false, "data.main", false},
		{nil, true, "data.anything", true},
	} {
		f, err := namespaceFilter(tc.patterns, tc.all)
		if err != nil {
			t.Fatal(err)
		}
		if got := f(tc.pkg); got != tc.want {
			t.Errorf("%q all=%v %s: %v, want %v", tc.patterns, tc.all, tc.pkg, got, tc.want)
		}
	}
	if _, err := namespaceFilter([]string{"main["}, false); err == nil {
		t.Error("a bad glob was accepted")
	}
	for rule, want := range map[string]string{"deny": "", "deny_root": "root", "violation_x_y": "x_y", "warn_a": "a"} {
		if got := exceptionName(rule); got != want {
			t.Errorf("exceptionName(%s) = %q, want %q", rule, got, want)
		}
	}
}
