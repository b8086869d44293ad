package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// TestRulesDoc keeps docs/rules.md what the rules' METADATA says: a rule
// changed or added without regenerating the page fails here.
func TestRulesDoc(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "--format", "markdown")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	golden.AssertFile(t, filepath.Join("..", "..", "docs", "rules.md"), []byte(out),
		"go run ./cmd/lockstep rules --format markdown --output docs/rules.md, or go test ./cmd/lockstep -run TestRulesDoc -update")
}

func TestRulesFormats(t *testing.T) {
	for _, tc := range []struct{ name, golden string }{
		{"", "table.txt"},
		{"table", "table.txt"},
		{"json", "rules.json"},
	} {
		t.Run("format="+tc.name, func(t *testing.T) {
			args := []string{"rules"}
			if tc.name != "" {
				args = append(args, "--format", tc.name)
			}
			code, out, errOut := runCLI(t, args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr: %s", code, errOut)
			}
			golden.Assert(t, filepath.Join("rules", tc.golden), []byte(out))
		})
	}
}

// TestRulesOutput checks that --output writes exactly what standard output
// would get, and nothing to standard output.
func TestRulesOutput(t *testing.T) {
	_, want, _ := runCLI(t, "rules", "--format", "json")
	path := filepath.Join(t.TempDir(), "rules.json")
	code, out, errOut := runCLI(t, "rules", "--format", "json", "--output", path)
	if code != exitOK || out != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("--output wrote:\n%s\nwant:\n%s", got, want)
	}
}

func TestRulesUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rules", "--format", "yaml"}, `lockstep: --format: unknown format "yaml" (available: json, markdown, table)` + "\n"},
		{[]string{"rules", "--format", "text"}, `lockstep: --format: unknown format "text" (available: json, markdown, table)` + "\n"},
		{[]string{"rules", "extra"}, `lockstep: unknown command "extra" for "lockstep rules"` + "\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != exitError || out != "" || errOut != tc.want {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, out, errOut, exitError, tc.want)
			}
		})
	}
}

// TestRulesEnvPolicy: --env-policy rules are listed with their scope, as
// the engine check builds sees them: --namespace chooses their packages
// (one that holds none is refused),
// lockstep.hcl's env_policy block adds its directories, and a config that
// does not load is an error (exit 2), as for check.
func TestRulesEnvPolicy(t *testing.T) {
	secrets, err := filepath.Abs(filepath.Join("testdata", "envpolicy", "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "lockstep.hcl")
	testfile.Write(t, conf, "env_policy {\n  dirs = [\""+filepath.ToSlash(secrets)+"\"]\n}\n")
	broken := filepath.Join(t.TempDir(), "lockstep.hcl")
	testfile.Write(t, broken, "env_policy {\n")
	envRules := func(out string) []string {
		var doc struct {
			Rules []struct{ ID, Scope string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range doc.Rules {
			if r.Scope == "environment" {
				ids = append(ids, r.ID)
			}
		}
		return ids
	}
	want := []string{"db-password-in-plan", "main.deny_engine", "main.warn_plan_summary"}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"none", nil, nil},
		{"--env-policy", []string{"--env-policy", secrets}, want},
		{"--namespace glob", []string{"--env-policy", secrets, "--namespace", "ma*"}, want},
		{"lockstep.hcl's env_policy", []string{"--config", conf}, want},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"rules", "--format", "json"}, tc.args...)...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr: %s", code, errOut)
			}
			if got := envRules(out); !slices.Equal(got, tc.want) {
				t.Errorf("per-environment rules %v, want %v", got, tc.want)
			}
		})
	}
	code, out, _ := runCLI(t, "rules", "--env-policy", secrets)
	if code != exitOK || !strings.Contains(out, "main.deny_engine (per environment)") {
		t.Errorf("the table does not say the rule's scope (exit %d):\n%s", code, out)
	}
	// A namespace without rules is refused, as check refuses it.
	code, _, errOut := runCLI(t, "rules", "--env-policy", secrets, "--namespace", "other")
	if code != exitError || !strings.Contains(errOut, "no deny, violation or warn rule in the namespaces other") {
		t.Errorf("an empty namespace: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "rules", "--config", broken)
	if code != exitError || !strings.Contains(errOut, broken) {
		t.Errorf("a broken config: exit %d, stderr %q", code, errOut)
	}
}
