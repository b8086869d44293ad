package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/fixture"
)

// leakPolicy prints every environment's resources, the differing
// attributes and the shared secrets, so that --debug and --trace have the
// input's values (and paths) to leak.
const leakPolicy = `package main

import rego.v1

warn contains msg if {
	some name, env in input.env
	some addr, res in env.resources
	print("resource", name, addr, res.now, res.after, res.now_sensitive, res.after_sensitive)
	some r in input.resources
	print("attributes", r.address, r.attributes, r.shared_secrets)
	res.type == "no-such-type"
	msg := "never"
}
`

// keysPair is two state inputs whose terraform_data.acl holds a sensitive
// map (marked in staging only) with different secret keys per environment,
// copied unmarked into output: the keys would be printed in attribute paths
// (output.<key>) of the divergence finding.
func keysPair(t *testing.T) (staging, production string, secrets []string) {
	t.Helper()
	state := func(input, sensitive string) string {
		return `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
		 {"address":"terraform_data.acl","mode":"managed","type":"terraform_data","name":"acl",
		  "values":{"id":"x","input":` + input + `,"output":` + input + `},"sensitive_values":` + sensitive + `}]}}}`
	}
	dir := writeTree(t, map[string]string{
		"staging.json":    state(`{"key-staging-Ab12Cd34":"scope-staging-Ef56Gh78","shared-key-Ij90Kl12":"reader-value-1"}`, `{"input":true}`),
		"production.json": state(`{"key-production-Mn34Op56":"scope-production-Qr78St90","shared-key-Ij90Kl12":"reader-value-2"}`, `{}`),
	})
	return filepath.Join(dir, "staging.json"), filepath.Join(dir, "production.json"),
		[]string{"key-staging-Ab12Cd34", "scope-staging-Ef56Gh78", "shared-key-Ij90Kl12", "reader-value-1",
			"key-production-Mn34Op56", "scope-production-Qr78St90", "reader-value-2"}
}

// leakState is a state JSON of the given resources (JSON objects).
func leakState(resources ...string) string {
	return `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[` + strings.Join(resources, ",") + `]}}}`
}

// leakPairs writes pairs of inputs that leaked once (a red team's), by
// name, and returns them with their secrets.
func leakPairs(t *testing.T) (map[string][2]string, []string) {
	t.Helper()
	res := func(mode, typ, name, values, sv string) string {
		addr := typ + "." + name
		if mode == "data" {
			addr = "data." + addr
		}
		return `{"address":"` + addr + `","mode":"` + mode + `","type":"` + typ + `","name":"` + name + `","values":` + values + `,"sensitive_values":` + sv + `}`
	}
	files := map[string]string{
		// A data source's mark, its secret copied into a managed resource.
		"data/staging.json":    leakState(res("data", "aws_sec", "a", `{"s":"DATASECRET-same1"}`, `{"s":true}`), res("managed", "aws_x", "b", `{"v":"DATASECRET-same1"}`, `{}`)),
		"data/production.json": leakState(res("data", "aws_sec", "a", `{"s":"DATASECRET-xyz789"}`, `{}`), res("managed", "aws_x", "b", `{"v":"DATASECRET-xyz789"}`, `{}`)),
		// Encoded copies: jsonencode, urlencode, lower.
		"enc/staging.json":    leakState(res("managed", "aws_x", "b", `{"pw":"P@ss/w\"rd-SECRET1","n":"a"}`, `{"pw":true}`)),
		"enc/production.json": leakState(res("managed", "aws_x", "b", `{"pw":"xx","n":"{\"pw\":\"P@ss/w\\\"rd-SECRET1\"}","n2":"P%40ss%2Fw%22rd-SECRET1","n3":"p@ss/w\"rd-secret1"}`, `{}`)),
		// A secret's copy as a for_each key.
		"addr/staging.json": leakState(res("managed", "aws_db", "a", `{"password":"ADDRSECRET-9981"}`, `{"password":true}`),
			`{"address":"aws_k.k[\"ADDRSECRET-9981\"]","mode":"managed","type":"aws_k","name":"k","index":"ADDRSECRET-9981","values":{"v":"1"},"sensitive_values":{}}`),
		"addr/production.json": leakState(res("managed", "aws_db", "a", `{"password":"other-pw-12345"}`, `{"password":true}`)),
		// Marks only in resource_changes; prior_state holds the object.
		"rc/staging.json":    fixture.ChangeOnlyMarksPlan(`{"pw":true}`, "RCONLY-SECRET-1", "plain"),
		"rc/production.json": fixture.ChangeOnlyMarksPlan(`{}`, "RCONLY-SECRET-2", "copy RCONLY-SECRET-2"),
	}
	dir := writeTree(t, files)
	pairs := map[string][2]string{}
	for name := range files {
		env, _, _ := strings.Cut(name, "/")
		pairs[env] = [2]string{filepath.Join(dir, env, "staging.json"), filepath.Join(dir, env, "production.json")}
	}
	return pairs, []string{"DATASECRET-same1", "DATASECRET-xyz789", "RCONLY-SECRET-1", "RCONLY-SECRET-2", "SECRET1", "secret1", "ADDRSECRET-9981", "other-pw-12345"}
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// leakInput is a pair of inputs that leaked a secret once.
type leakInput struct {
	name, staging, production string
	// keys: the policy's print shows secret map keys' placeholders.
	keys bool
}

// leakInputs are the inputs of the cross-environment leak tests (scenario j
// in every input kind, keysPair's secret map keys, and leakPairs), with
// every secret they hold.
func leakInputs(t *testing.T) ([]leakInput, []string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(scenarios, "secrets.txt"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := strings.Fields(string(raw))
	ks, kp, keySecrets := keysPair(t)
	secrets = append(secrets, keySecrets...)
	var pairs []leakInput
	j := filepath.Join(scenarios, "j-cross-env-sensitive")
	for _, k := range kinds {
		pairs = append(pairs, leakInput{"j/" + k.name, filepath.Join(j, "staging."+k.ext), filepath.Join(j, "production."+k.ext), true})
	}
	pairs = append(pairs, leakInput{"map-keys", ks, kp, true})
	leaks, leakSecrets := leakPairs(t)
	secrets = append(secrets, leakSecrets...)
	for _, name := range sortedNames(leaks) {
		pairs = append(pairs, leakInput{name, leaks[name][0], leaks[name][1], false})
	}
	return pairs, secrets
}

// TestSecretsNeverPrintedCrossEnvironment runs the checks where a value is
// marked sensitive in one environment only (scenario j, real Terraform, in
// every input kind; and keysPair, secret map keys) with every output at
// once: every format, the GitHub job summary, --dump-input, and a policy
// that print()s the input under --debug and under --trace. No secret may
// appear in any of them.
func TestSecretsNeverPrintedCrossEnvironment(t *testing.T) {
	pairs, secrets := leakInputs(t)
	policy := writeTree(t, map[string]string{"leak.rego": leakPolicy})

	for _, p := range pairs {
		// Production read on its own holds its secrets in clear, or this
		// test proves nothing.
		data, err := os.ReadFile(p.production)
		if err != nil {
			t.Fatal(err)
		}
		if !containsAny(data, secrets) {
			t.Fatalf("%s: production holds none of the secrets", p.name)
		}
		for _, mode := range []string{"--debug", "--trace"} {
			t.Run(p.name+"/"+mode, func(t *testing.T) {
				dir := t.TempDir()
				summary := filepath.Join(dir, "summary.md")
				t.Setenv("GITHUB_STEP_SUMMARY", summary)
				args := []string{"check", "--as-of", asOf, "--env", "staging=" + p.staging, "--env", "production=" + p.production,
					"--policy", policy, mode, "--dump-input", filepath.Join(dir, "input.json"), "--format", "github"}
				for _, f := range formatFiles {
					args = append(args, "--format", f.format+"="+filepath.Join(dir, "out."+f.ext))
				}
				code, stdout, stderr := runCLI(t, args...)
				if code == 2 {
					t.Fatalf("exit 2: %s", stderr)
				}
				outputs := map[string][]byte{"stdout": []byte(stdout), "stderr": []byte(stderr)}
				for _, name := range []string{"summary.md", "input.json"} {
					outputs[name] = readFile(t, filepath.Join(dir, name))
				}
				for _, f := range formatFiles {
					outputs[f.ext] = readFile(t, filepath.Join(dir, "out."+f.ext))
				}
				for name, b := range outputs {
					for _, s := range secrets {
						if bytes.Contains(b, []byte(s)) {
							t.Errorf("%s prints secret %q", name, s)
						}
					}
				}
				// The policy printed the values, placeholders included.
				if !strings.Contains(stderr, "resource") || (p.keys && !strings.Contains(stderr, "(sensitive #")) {
					t.Errorf("%s shows no printed input with secret keys, so the test checks little:\n%.2000s", mode, stderr)
				}
			})
		}
	}
}

// TestReportsDeterministic runs the same checks twice and compares every
// output byte for byte: secret map keys get the same placeholder on every
// run, though the hashing key is fresh.
func TestReportsDeterministic(t *testing.T) {
	ks, kp, _ := keysPair(t)
	j := filepath.Join(scenarios, "j-cross-env-sensitive")
	for name, envs := range map[string][2]string{
		"j":        {filepath.Join(j, "staging.plan.json"), filepath.Join(j, "production.plan.json")},
		"map-keys": {ks, kp},
	} {
		t.Run(name, func(t *testing.T) {
			var runs [2]map[string][]byte
			for i := range runs {
				dir := t.TempDir()
				t.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(dir, "summary.md"))
				args := []string{"check", "--as-of", asOf, "--env", "staging=" + envs[0], "--env", "production=" + envs[1], "--format", "github"}
				for _, f := range formatFiles {
					args = append(args, "--format", f.format+"="+filepath.Join(dir, "out."+f.ext))
				}
				_, stdout, stderr := runCLI(t, args...)
				runs[i] = map[string][]byte{"github": []byte(stdout), "stderr": []byte(stderr), "summary": readFile(t, filepath.Join(dir, "summary.md"))}
				for _, f := range formatFiles {
					runs[i][f.ext] = readFile(t, filepath.Join(dir, "out."+f.ext))
				}
			}
			if !bytes.Contains(runs[0]["json"], []byte("(sensitive #")) {
				t.Fatalf("the report shows no secret map key, so the test checks little:\n%s", runs[0]["json"])
			}
			for out, b := range runs[0] {
				if !bytes.Equal(b, runs[1][out]) {
					t.Errorf("%s differs between two runs on the same inputs:\n%s\n---\n%s", out, b, runs[1][out])
				}
			}
		})
	}
}

func containsAny(b []byte, secrets []string) bool {
	for _, s := range secrets {
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
