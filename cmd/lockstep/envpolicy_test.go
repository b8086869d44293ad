package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/internal/sarifschema"
)

// envPolicyDir holds the --env-policy test policies, relative to the
// repository root (where the runs below start, as CI runs).
var envPolicyDir = filepath.Join("cmd", "lockstep", "testdata", "envpolicy")

// runFromRoot runs lockstep from the repository root, so that paths in
// the outputs are repository-relative.
func runFromRoot(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Run("run", func(t *testing.T) {
		t.Chdir(filepath.Join("..", ".."))
		code, stdout, stderr = runCLI(t, args...)
	})
	return code, stdout, stderr
}

// TestEnvPolicyFormats pins the findings of a per-environment policy in
// text, json and sarif: attributed to the environment whose plan they were
// found in, and with the plan's sensitive values, which the policy copies
// into its messages and print() output, hidden in every output.
func TestEnvPolicyFormats(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join("testdata", "scenarios", "a-staging-only-change")
	args := []string{"check", "--env-policy", filepath.Join(envPolicyDir, "secrets"), "--trace",
		"--env", "staging=" + filepath.Join(scenario, "staging.plan.json"),
		"--env", "production=" + filepath.Join(scenario, "production.plan.json")}
	exts := map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "junit": "junit.xml", "markdown": "md"}
	for format, ext := range exts {
		args = append(args, "--format", format+"="+filepath.Join(dir, "out."+ext))
	}
	code, _, stderr := runFromRoot(t, append(args, "--format", "github")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (errors found); stderr:\n%s", code, stderr)
	}
	outputs := map[string][]byte{"stderr (print and trace)": []byte(stderr)}
	for _, ext := range exts {
		b, err := os.ReadFile(filepath.Join(dir, "out."+ext))
		if err != nil {
			t.Fatal(err)
		}
		outputs[ext] = b
	}
	for _, ext := range []string{"txt", "json", "sarif"} {
		golden.Assert(t, filepath.Join("envpolicy", "plan."+ext), outputs[ext])
	}
	if err := sarifschema.Validate(outputs["sarif"]); err != nil {
		t.Error(err)
	}
	// The policy must have seen the secrets, or the test proves nothing.
	if !strings.Contains(stderr, "password of terraform_data.db is (sensitive)") {
		t.Errorf("the policy's print() output is missing or not redacted:\n%s", stderr)
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scenarios", "secrets.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range outputs {
		for _, s := range strings.Fields(string(raw)) {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s prints secret %q", name, s)
			}
		}
	}
}

// TestEnvPolicyErrors: a policy loaded with the wrong flag, or reading
// what its input can never hold, is a policy error that names the file,
// line, rule and path, and says which flag to use; exit 2.
func TestEnvPolicyErrors(t *testing.T) {
	scenario := filepath.Join("testdata", "scenarios", "a-staging-only-change")
	plans := []string{"--env", "staging=" + filepath.Join(scenario, "staging.plan.json"), "--env", "production=" + filepath.Join(scenario, "production.plan.json")}
	states := []string{"--env", "staging=" + filepath.Join(scenario, "staging.tfstate"), "--env", "production=" + filepath.Join(scenario, "production.tfstate")}
	cases := []struct {
		name string
		args []string
		want []string // substrings of stderr
		code int
	}{
		{"single-plan policy under --policy", append([]string{"check", "--policy", filepath.Join(envPolicyDir, "secrets")}, plans...),
			[]string{"db.rego:13:2: main.deny reads input.resource_changes", "main.deny reads input.resource_changes", "this looks like a single-plan policy; load it with --env-policy"}, 2},
		{"cross-environment policy under --env-policy", append([]string{"check", "--env-policy", filepath.Join(envPolicyDir, "crossenv")}, plans...),
			[]string{"env.rego:6:", "main.deny reads input.env", "load it with --policy"}, 2},
		{"input.resources on plans", append([]string{"check", "--env-policy", filepath.Join(envPolicyDir, "rawstate")}, plans...),
			[]string{"resources.rego:6:", "main.deny reads input.resources", "environment staging's plan JSON does not have"}, 2},
		{"input.resources on raw state", append([]string{"check", "--env-policy", filepath.Join(envPolicyDir, "rawstate")}, states...),
			nil, 1},
		{"the sandbox holds", append([]string{"check", "--env-policy", filepath.Join(envPolicyDir, "sandbox")}, plans...),
			[]string{"net.rego:6:", "http.send", "--policy-allow-net"}, 2},
		{"--namespace without --env-policy", append([]string{"check", "--namespace", "main"}, plans...),
			[]string{"give --env-policy DIR too"}, 2},
		{"no rule in the namespace", append([]string{"check", "--env-policy", filepath.Join(envPolicyDir, "secrets"), "--namespace", "other"}, plans...),
			[]string{"no deny, violation or warn rule in the namespaces other"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runFromRoot(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestEnvPolicyConfig: lockstep.hcl's env_policy block loads the same
// policies as --env-policy (its dirs relative to the file), and its
// namespaces give way to --namespace.
func TestEnvPolicyConfig(t *testing.T) {
	policyDir, err := filepath.Abs(filepath.Join(conftestDir, "examples", "hcl1", "policy"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rel, err := filepath.Rel(dir, policyDir)
	if err != nil {
		t.Fatal(err)
	}
	block := "env_policy {\n  dirs       = [\"" + filepath.ToSlash(rel) + "\"]\n  namespaces = [\"main.gke\"]\n}\n"
	cfg := filepath.Join(dir, "lockstep.hcl")
	if err := os.WriteFile(cfg, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	// Their findings are waived as any other, by rule id.
	waived := filepath.Join(dir, "waived.hcl")
	waiver := "waiver \"gke\" {\n  rule    = \"main.gke.deny\"\n  reason  = \"known\"\n  owner   = \"platform\"\n  expires = \"2099-01-01\"\n}\n"
	if err := os.WriteFile(waived, []byte(block+waiver), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(conftestDir, "examples", "hcl1", "gke-show.json")
	for _, tc := range []struct {
		name, cfg string
		extra     []string
		code      int
		want      string
	}{
		{"config namespaces", cfg, nil, 1, "main.gke.deny (error, 2)"},
		{"--namespace wins", cfg, []string{"--namespace", "main"}, 1, "main.deny (error, 2)"},
		{"waived", waived, nil, 0, "main.gke.deny (waived, 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The same plan for both environments, on purpose: these rules judge one.
			args := append([]string{"check", "--allow-identical-inputs", "--config", tc.cfg, "--env", "staging=" + plan, "--env", "production=" + plan}, tc.extra...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.code || !strings.Contains(stdout, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}
